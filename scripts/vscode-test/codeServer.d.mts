import type { BrowserContext } from 'playwright-core';

export declare const NODE_VERSION: string;
export declare const CODE_SERVER_VERSION: string;
export declare function toolPaths(cache: string): { nodeHome: string; node: string; codeServer: string };
export declare function freePort(): Promise<number>;
export interface StartedCodeServer {
  url: string;
  port: number;
  dirs: { root: string; userData: string; extensions: string; xdgConfig: string; xdgData: string };
  logFile: string;
  stop(): Promise<void>;
}
export declare function startCodeServer(o: {
  cache: string;
  name: string;
  logDir: string;
  userSettings: Record<string, unknown>;
  vsix?: string[];
  smokeTestDriver?: boolean;
  env?: Record<string, string>;
}): Promise<StartedCodeServer>;
export declare function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }>;
