import { getServerSession } from "next-auth";
import { getDb } from "../db/client";
import { authOptions } from "./next-auth";
import { activeCaller } from "./caller-cache";
import type { Caller } from "./caller";

/** The signed-in caller for server components and pages; null when signed out or deactivated. */
export async function currentCaller(): Promise<Caller | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id || !/^\d+$/.test(id)) return null;
  return activeCaller(await getDb(), Number(id));
}
