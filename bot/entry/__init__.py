"""The composition root: the only place that knows every part (the core, each adapter, the
storage) and puts them together for one process. It sits outside the core: the rest of `bot/`
imports no Slack, Discord or database library, and no adapter imports this package.

`python -m bot [console|slack|discord|web|worker|migrate|release]` starts in `command_line`
(the arguments, logging, which mode runs). The rest, by idea:

- `errors`: `CannotStart`, a reason the operator can fix, shown as one line;
- `database`: the migrations, the health check's question to the database, the SQLite checkpoint;
- `runtime`: `build(...)`, the store, service, dispatcher, retention purge and cross-process wake
  of one process, started and closed together (`Runtime`);
- `platforms`: which platforms a configuration serves, and their reminder senders (notifiers);
- `processes`: each long-running process (`run_console`, `run_slack`, `run_discord`, `run_web`,
  `run_worker`), with /healthz and a clean stop on SIGTERM;
- `release`: what runs once before a release (the migrations, Discord's commands).

Tests start the processes through these same functions, so they are wired as in production.
"""
