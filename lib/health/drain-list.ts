import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { jobVisibilitySql } from "../auth/visibility";
import type { DrainListFormat } from "./schemas";

/**
 * GET /machines/drain-list: the caller's visible quarantined machines as text a person pastes
 * into a shell. Hostnames and notes come from agents and people, so nothing is printed raw:
 * control characters (a newline would start a new command) become spaces, and anything that is
 * not a plain host-name token is single-quoted for POSIX shells.
 */
const PLAIN = /^[A-Za-z0-9._:@%+,/=][A-Za-z0-9._:@%+,/=-]*$/;
const TAINT = "benchboard.io/quarantined=true:NoSchedule";
const REASON_ANNOTATION = "benchboard.io/quarantine-reason";

/** Control characters (and Unicode line breaks) to spaces: one host, one line. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ").trim();
}

/** A POSIX-shell word that is exactly `s`: as is when plain, else in single quotes ('\'' for a quote). */
export function shellWord(s: string): string {
  return PLAIN.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const quoted = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface QuarantinedHost {
  id: number;
  host: string;
  reason: string;
}

export async function quarantinedHosts(db: Db, caller: Caller): Promise<QuarantinedHost[]> {
  const rows = await db.$queryRaw<{ id: number; uuid: string; hostname: string | null; health_note: string | null }[]>`
    SELECT m.id, m.uuid, m.hostname, m.health_note FROM machines m
    WHERE m.health_state = 'quarantined'
      AND EXISTS (
        SELECT 1 FROM tasks t JOIN jobs j ON j.id = t.job_id AND j.customer_id = m.customer_id
        WHERE t.machine_uuid = m.uuid AND t.state <> 'rejected' AND ${jobVisibilitySql(caller)})
    ORDER BY COALESCE(m.hostname, m.uuid), m.id`;
  return rows.map((r) => ({
    id: Number(r.id),
    host: oneLine(r.hostname || r.uuid) || r.uuid,
    reason: oneLine(r.health_note ?? "") || "quarantined by Benchboard",
  }));
}

export function formatDrainList(hosts: QuarantinedHost[], format: DrainListFormat): string {
  if (format === "text") return hosts.map((h) => `${shellWord(h.host)}\n`).join("");
  const header = `# Benchboard: ${hosts.length} quarantined machine${hosts.length === 1 ? "" : "s"}\n`;
  const lines = hosts.flatMap((h) => {
    const host = shellWord(h.host);
    if (format === "slurm") return [`scontrol update nodename=${host} state=drain reason=${quoted(h.reason)}`];
    return [
      `kubectl cordon -- ${host}`,
      `kubectl taint nodes --overwrite -- ${host} ${TAINT}`,
      `kubectl annotate nodes --overwrite -- ${host} ${REASON_ANNOTATION}=${quoted(h.reason)}`,
    ];
  });
  return header + lines.map((l) => `${l}\n`).join("");
}

export async function drainList(db: Db, caller: Caller, format: DrainListFormat): Promise<string> {
  return formatDrainList(await quarantinedHosts(db, caller), format);
}
