#!/bin/sh
# Runs DynamoDB Local (java with the arguments given) so that it ends with the Node process that
# started it, however that ends (kill -9 included): Node has no PR_SET_PDEATHSIG, but it holds the
# write end of this script's stdin, and the kernel closes it when Node dies.
exec 3<&0
java "$@" </dev/null 4>&- &
jvm=$!
# The JVM's pid, for Node to record in the data folder's lock and to stop the JVM itself by (fd 4 is
# a pipe Node reads; a shell started without it has nothing to tell).
{ echo "$jvm" >&4; } 2>/dev/null
exec 4>&-
# A watcher reads stdin until end of file (Node gone, or Node closed it to stop us), then ends the JVM.
{ while read -r _; do :; done; kill "$jvm" 2>/dev/null; } <&3 &
watcher=$!
exec 3<&-
# SIGTERM/SIGINT to this script (ChildProcess.kill) is passed on to the JVM.
trap 'kill "$jvm" 2>/dev/null' TERM INT
status=0
while kill -0 "$jvm" 2>/dev/null; do
  wait "$jvm"
  status=$?
done
kill "$watcher" 2>/dev/null
exit "$status"
