export const JOB_STATES = ["created", "starting", "running", "completed", "completed_with_warnings", "failed", "aborted"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Jobs whose agents may still be working; they cannot be deleted. */
export const ACTIVE_STATES: readonly JobState[] = ["starting", "running"];
export const ENDED_STATES: readonly JobState[] = ["completed", "completed_with_warnings", "failed", "aborted"];
