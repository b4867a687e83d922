import { z } from "../validation/zod";
import { bigintIdString } from "../api/ids";

export const resultIdParamSchema = z.object({
  result_id: bigintIdString("result_id"),
});
