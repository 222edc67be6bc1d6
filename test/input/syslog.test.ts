import { describe, expect, it } from 'vitest';
import { frameText, recordFromLine } from '../../src/input/frame.js';

describe('syslog', () => {
  it.each([
    [
      'RFC 3164 file line (space-padded day)',
      'Jan  9 04:10:28 docker01 dockerd: http: Accept error: accept unix /var/run/docker.sock: accept4: too many open files; retrying in 1s',
      { format: 'syslog', time: 'Jan  9 04:10:28', host: 'docker01', component: 'dockerd' },
      'http: Accept error: accept unix /var/run/docker.sock: accept4: too many open files; retrying in 1s',
    ],
    [
      'RFC 3164 with pid',
      'Apr  4 06:14:48 mon docker-volume-local-persist[14133]: 2016/04/04 06:14:48 http: Accept error: too many open files',
      { format: 'syslog', host: 'mon', component: 'docker-volume-local-persist', pid: 14133 },
      '2016/04/04 06:14:48 http: Accept error: too many open files',
    ],
    [
      'RFC 3164 with priority',
      "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
      { format: 'syslog', severity: 'crit', time: 'Oct 11 22:14:15', host: 'mymachine', component: 'su' },
      "'su root' failed for lonvick on /dev/pts/8",
    ],
    [
      'RFC 5424 with BOM',
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \ufeff'su root' failed for lonvick on /dev/pts/8",
      { format: 'syslog', severity: 'crit', time: '2003-10-11T22:14:15.003Z', host: 'mymachine.example.com', component: 'su' },
      "'su root' failed for lonvick on /dev/pts/8",
    ],
    [
      'RFC 5424 with structured data and a klog payload',
      '<165>1 2003-10-11T22:14:15.003Z node-a kubelet 2301 - [exampleSDID@32473 iut="3" eventSource="App\\]"] E1114 10:23:45.123456    2301 raw.go:146] inotify_add_watch /sys/fs/cgroup: no space left on device',
      { format: 'syslog', severity: 'error', host: 'node-a', component: 'kubelet', pid: 2301, inner: 'klog' },
      'inotify_add_watch /sys/fs/cgroup: no space left on device',
    ],
    [
      'RFC 5424 without message',
      '<14>1 2023-11-14T10:23:45Z node-a app - - -',
      { format: 'syslog', severity: 'info', component: 'app' },
      '',
    ],
    [
      'rsyslog kern.log',
      'Nov  4 10:23:45 node-a kernel: [ 3812.123242] device-mapper: thin: 253:2: switching pool to out-of-data-space (error IO) mode',
      { format: 'syslog', host: 'node-a', component: 'kernel' },
      'device-mapper: thin: 253:2: switching pool to out-of-data-space (error IO) mode',
    ],
  ])('%s', (_name, line, fields, message) => {
    const r = recordFromLine(line, 1);
    expect(r.fields).toMatchObject(fields);
    expect(r.message).toBe(message);
  });

  it('undoes rsyslog #012/#011 control escaping', () => {
    const [r] = frameText('Nov  4 10:23:45 node-a app[1]: first line#012second line#011tabbed');
    expect(r?.message).toBe('first line second line tabbed');
  });

  it('a line that only looks like a prefix is plain', () => {
    expect(recordFromLine('<34>not syslog at all', 1).fields.format).toBe('plain');
    expect(recordFromLine('Nov 14 10:23:45 just a sentence', 1).fields.format).toBe('plain');
  });
});
