import { z } from "zod";

export const resultIdParamSchema = z.object({
  result_id: z.string().regex(/^\d{1,19}$/, "result_id must be a positive integer").transform(BigInt),
});
