import { describe, expect, it } from 'vitest';
import { frameText } from '../../src/input/frame.js';

const table = (text: string): [number, string, string][] => frameText(text).map((r) => [r.line, r.fields.format, r.message]);

describe('plain text and tool output', () => {
  it('df -h: one plain record per line, whitespace collapsed', () => {
    expect(
      table(['$ df -h', 'Filesystem      Size  Used Avail Use% Mounted on', '/dev/sda4        49G   49G     0 100% /', 'tmpfs           7.4G  7.4G     0 100% /run'].join('\n')),
    ).toEqual([
      [1, 'plain', '$ df -h'],
      [2, 'plain', 'Filesystem Size Used Avail Use% Mounted on'],
      [3, 'plain', '/dev/sda4 49G 49G 0 100% /'],
      [4, 'plain', 'tmpfs 7.4G 7.4G 0 100% /run'],
    ]);
  });

  it('df -i', () => {
    expect(table('Filesystem                           Inodes    IUsed   IFree IUse% Mounted on\n/dev/mapper/vg-root 30736384 30484641  251743  100% /')).toEqual([
      [1, 'plain', 'Filesystem Inodes IUsed IFree IUse% Mounted on'],
      [2, 'plain', '/dev/mapper/vg-root 30736384 30484641 251743 100% /'],
    ]);
  });

  it('/proc/cgroups with tabs', () => {
    expect(table('#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpuset\t10\t26\t1\nmemory\t6\t65535\t1')).toEqual([
      [1, 'plain', '#subsys_name hierarchy num_cgroups enabled'],
      [2, 'plain', 'cpuset 10 26 1'],
      [3, 'plain', 'memory 6 65535 1'],
    ]);
  });

  it('ipcs -l and sysctl', () => {
    expect(
      table(
        [
          '------ Semaphore Limits --------',
          'max number of arrays = 32000',
          'fs.inotify.max_user_watches = 8192',
          'fs.inotify.max_user_instances = 128',
          '$ sysctl fs.inotify',
        ].join('\n'),
      ),
    ).toEqual([
      [1, 'plain', '------ Semaphore Limits --------'],
      [2, 'plain', 'max number of arrays = 32000'],
      [3, 'plain', 'fs.inotify.max_user_watches = 8192'],
      [4, 'plain', 'fs.inotify.max_user_instances = 128'],
      [5, 'plain', '$ sysctl fs.inotify'],
    ]);
  });

  it('keeps odd lines as they are', () => {
    expect(
      table(['docker: Error response from daemon: oci runtime error: write /sys/fs/cgroup/cpu/docker/26ba/tasks: no space left on device.', '[nodemon] restarting', '{not json', '[ not dmesg'].join('\n')),
    ).toEqual([
      [1, 'plain', 'docker: Error response from daemon: oci runtime error: write /sys/fs/cgroup/cpu/docker/26ba/tasks: no space left on device.'],
      [2, 'plain', '[nodemon] restarting'],
      [3, 'plain', '{not json'],
      [4, 'plain', '[ not dmesg'],
    ]);
  });
});
