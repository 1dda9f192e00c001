# Sourced by the scripts that start a server for the tests.
# free_port prints a TCP port of 127.0.0.1 that is free now (the kernel's
# pick): a fixed port may be taken on a shared machine.
free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}
