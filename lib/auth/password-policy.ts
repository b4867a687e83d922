/** Shortest accepted password: the CLI, the admin API and the admin page's forms agree on it. */
export const MIN_PASSWORD_LENGTH = 8;
