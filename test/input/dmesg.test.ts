import { describe, expect, it } from 'vitest';
import { frameText, recordFromLine } from '../../src/input/frame.js';

describe('dmesg', () => {
  it.each([
    [
      'default',
      '[ 3812.123242] device-mapper: thin: 253:4: switching pool to out-of-data-space (error IO) mode',
      { format: 'dmesg', time: '3812.123242', component: 'kernel' },
      'device-mapper: thin: 253:4: switching pool to out-of-data-space (error IO) mode',
    ],
    [
      'CONFIG_PRINTK_CALLER',
      '[  397.261199][   T11] device-mapper: thin: 253:2: no free data space',
      { format: 'dmesg', time: '397.261199', component: 'kernel' },
      'device-mapper: thin: 253:2: no free data space',
    ],
    [
      '-T',
      '[Tue Nov 14 10:23:45 2023] SLUB: Unable to allocate memory on node -1 (gfp=0x8020)',
      { format: 'dmesg', time: 'Tue Nov 14 10:23:45 2023' },
      'SLUB: Unable to allocate memory on node -1 (gfp=0x8020)',
    ],
    [
      '-T in another locale',
      '[五 7月  3 00:00:50 2020] SLUB: Unable to allocate memory on node -1 (gfp=0x80d0)',
      { format: 'dmesg', time: '五 7月  3 00:00:50 2020' },
      'SLUB: Unable to allocate memory on node -1 (gfp=0x80d0)',
    ],
    [
      '--time-format iso',
      '2023-11-14T10:23:45,123456+00:00 XFS (dm-5): metadata I/O error in "xfs_buf_ioend_handle_error+0x269/0xce0 [xfs]" at daddr 0x8 len 8 error 28',
      { format: 'dmesg', time: '2023-11-14T10:23:45,123456+00:00' },
      'XFS (dm-5): metadata I/O error in "xfs_buf_ioend_handle_error+0x269/0xce0 [xfs]" at daddr 0x8 len 8 error 28',
    ],
    [
      '-x',
      'kern  :err   : [ 3812.1382] EXT4-fs warning (device dm-5): ext4_dx_add_entry:2352: Directory index full!',
      { format: 'dmesg', time: '3812.1382', severity: 'err', facility: 'kern' },
      'EXT4-fs warning (device dm-5): ext4_dx_add_entry:2352: Directory index full!',
    ],
    [
      '-r',
      '<3>[ 3812.123242] EXT4-fs error (device sda1): ext4_mb_generate_buddy',
      { format: 'dmesg', time: '3812.123242', severity: 'err' },
      'EXT4-fs error (device sda1): ext4_mb_generate_buddy',
    ],
    [
      '/dev/kmsg',
      '3,1234,3812123242,-;device-mapper: thin: 253:4: reached low water mark for data device',
      { format: 'dmesg', time: '3812.123242', severity: 'err' },
      'device-mapper: thin: 253:4: reached low water mark for data device',
    ],
    [
      'userspace writing to /dev/kmsg',
      '[77995.436666] systemd-journald[1673]: Failed to open system journal: No space left on device',
      { format: 'dmesg', time: '77995.436666', component: 'systemd-journald', pid: 1673 },
      'Failed to open system journal: No space left on device',
    ],
  ])('%s', (_name, line, fields, message) => {
    const r = recordFromLine(line, 1);
    expect(r.fields).toMatchObject(fields);
    expect(r.message).toBe(message);
  });

  it('tells short-monotonic journal lines (host + ident[pid]) from dmesg', () => {
    const recs = frameText(['[  512.004211] node-a kubelet[2301]: journal', '[  512.004211] usb 1-1: new high-speed USB device', '[    9.4] systemd-journald[248]: dmesg'].join('\n'));
    expect(recs.map((r) => [r.fields.format, r.message])).toEqual([
      ['journal', 'journal'],
      ['dmesg', 'usb 1-1: new high-speed USB device'],
      ['dmesg', 'dmesg'],
    ]);
  });
});
