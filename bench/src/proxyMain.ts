// The proxy process: forked by ProxyFleet.start, driven over IPC.
import { runProxyProcess } from './proxy';

runProxyProcess();
