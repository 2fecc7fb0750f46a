// Preloaded (node --import) into each `uf worker` process the compat bench starts: at exit it writes
// the process's own CPU and the CPU of the commands it ran (its reaped children, from /proc/self/stat)
// to UF_BENCH_CPU_FILE, so the bench can split "queue and worker" from "the checks themselves".
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';

const file = process.env.UF_BENCH_CPU_FILE;
if (file) {
  process.on('exit', () => {
    const own = process.cpuUsage();
    // Fields after the command name: state is field 3, cutime field 16, cstime field 17.
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    const childTicks = Number(fields[13]) + Number(fields[14]);
    writeFileSync(file, JSON.stringify({ ownMicros: own.user + own.system, childTicks }));
  });
}
