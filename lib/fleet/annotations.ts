import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { clock } from "../util/clock";
import { findVisibleMachine } from "./queries";
import type { CreateAnnotationInput } from "./schemas";

type AnnotationRow = {
  id: number;
  text: string;
  resetsBaseline: boolean;
  createdAt: Date;
  user: { email: string; name: string | null };
};

function serializeAnnotation(a: AnnotationRow) {
  return {
    id: a.id,
    text: a.text,
    resets_baseline: a.resetsBaseline,
    created_at: a.createdAt.toISOString(),
    author: a.user.name ?? a.user.email,
  };
}

const withAuthor = { user: { select: { email: true, name: true } } } as const;

/** Annotates a machine the caller can see; one that resets the baseline restarts the own-history test from now. */
export async function createAnnotation(db: Db, caller: Caller, machineId: number, input: CreateAnnotationInput) {
  const machine = await findVisibleMachine(db, caller, machineId);
  const row = await db.machineAnnotation.create({
    data: {
      machineId: machine.id,
      userId: caller.userId,
      text: input.text,
      resetsBaseline: input.resets_baseline,
      createdAt: clock.now(),
    },
    include: withAuthor,
  });
  return serializeAnnotation(row);
}

/** A machine's annotations, oldest first (the caller's visibility was checked with the machine). */
export async function listAnnotations(db: Db, machineId: number) {
  const rows = await db.machineAnnotation.findMany({
    where: { machineId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: withAuthor,
  });
  return rows.map(serializeAnnotation);
}
