/** Constants and states the server, the extension, its webviews and the CLI all show the same way. */

/** Cross-lists at or above this probability are suggested (hover, sidebar, CLI); below it they are only "closest". */
export const CROSSLIST_MIN_P = 0.3;

/** Server connection state as the sidebar and status bar show it. */
export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';
