declare module 'async-exit-hook' {
  /** Runs `hook` on SIGINT, SIGTERM and exit; the process exits when every hook called `done`. */
  function exitHook(hook: (done: () => void) => void): void;
  namespace exitHook {
    /** Exits anyway after `ms` milliseconds. */
    function forceExitTimeout(ms: number): void;
  }
  export default exitHook;
}
