/**
 * The job-state vocabulary, for server and UI alike (docs/glossary.md): each set of states has
 * one name, here.
 */
export const JOB_STATES = [
  "created",
  "starting",
  "running",
  "completed",
  "completed_with_warnings",
  "failed",
  "aborted",
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Not final yet: the job may still change state (and accepts agents while its token is valid). */
export const LIVE_STATES: readonly JobState[] = ["created", "starting", "running"];
/** Nodes have joined and agents may be working: such a job cannot be deleted. */
export const ACTIVE_STATES: readonly JobState[] = ["starting", "running"];
/** Waiting for nodes to join (the queue view). */
export const WAITING_STATES: readonly JobState[] = ["created", "starting"];
/** Final. */
export const ENDED_STATES: readonly JobState[] = ["completed", "completed_with_warnings", "failed", "aborted"];

const member =
  (set: readonly JobState[]) =>
  (state: string | null | undefined): state is JobState =>
    !!state && (set as readonly string[]).includes(state);
export const isLive = member(LIVE_STATES);
export const isActive = member(ACTIVE_STATES);
export const isWaiting = member(WAITING_STATES);
export const isEnded = member(ENDED_STATES);
