import { describe, expect, it } from 'vitest';
import { mountOf, resolvedPath } from '../../src/engine/mounts.js';
import { classify } from '../../src/index.js';

const rules = (text: string, cause: string): string[] => classify(text).findings.find((f) => f.cause === cause)?.rules.map((r) => r.rule) ?? [];

describe('the mount that holds a failing path', () => {
  it('is the longest mount point that is a prefix of the path at a / boundary', () => {
    const mounts = ['/', '/var', '/var/lib/kubelet', '/mnt/f'];
    expect(mountOf('/var/lib/kubelet/pods/x', mounts)).toBe('/var/lib/kubelet');
    expect(mountOf('/var/lib/kubeletx/y', mounts)).toBe('/var');
    expect(mountOf('/mnt/f', mounts)).toBe('/mnt/f');
    expect(mountOf('/home/u/a', mounts)).toBe('/');
    expect(mountOf('/home/u/a', ['/var'])).toBeUndefined();
    expect(mountOf('relative/x', mounts)).toBeUndefined();
  });

  it('resolves /var/run and /var/lock into /run', () => {
    expect(resolvedPath('/var/run/docker/x.json')).toBe('/run/docker/x.json');
    expect(resolvedPath('/var/lock/a')).toBe('/run/lock/a');
    expect(resolvedPath('/var/runner/a')).toBe('/var/runner/a');
  });
});

describe('an ENOSPC create on a mount df shows with room', () => {
  const df = ['$ df -h', 'Filesystem Size Used Avail Use% Mounted on', '/dev/sda1 30G 9G 21G 30% /', '/dev/sdb1 2.0G 40M 1.9G 2% /srv/spool'];

  it('is read as the inodes, not the disk', () => {
    const text = ["mkdir: cannot create directory '/srv/spool/q/1': No space left on device", ...df].join('\n');
    const d = classify(text);
    expect(d.cause).toBe('inode-exhaustion');
    expect(rules(text, 'inode-exhaustion')).toContain('path-on-mount-with-room/inode-exhaustion');
    expect(rules(text, 'disk-full')).toContain('path-on-mount-with-room');
  });

  it('holds for a create the errno table reads (an open that creates, Rust os error 28)', () => {
    const text = ['Error: failed to open file /srv/spool/q/2.tmp: No space left on device (os error 28)', ...df].join('\n');
    expect(classify(text).cause).toBe('inode-exhaustion');
  });

  it('is not read for a write (a df taken after a failed job cleaned up shows room)', () => {
    const text = ['write /srv/spool/q/big.bin: no space left on device', ...df].join('\n');
    expect(rules(text, 'inode-exhaustion')).not.toContain('path-on-mount-with-room/inode-exhaustion');
    expect(rules(text, 'disk-full')).not.toContain('path-on-mount-with-room');
  });

  it('is not read when the mount that holds the path is full, whatever the others show', () => {
    const text = ["touch: cannot touch '/srv/data/x': No space left on device", 'Filesystem Size Used Avail Use% Mounted on', '/dev/sda1 30G 9G 21G 30% /', '/dev/sdc1 50G 50G 0 100% /srv/data'].join('\n');
    const d = classify(text);
    expect(d.cause).toBe('disk-full');
    expect(rules(text, 'disk-full')).not.toContain('path-on-mount-with-room');
  });

  it('does not say inodes when df -i shows that mount with inodes left', () => {
    const text = [
      "mkdir: cannot create directory '/srv/spool/q/1': No space left on device",
      ...df,
      '$ df -i',
      'Filesystem Inodes IUsed IFree IUse% Mounted on',
      '/dev/sda1 1966080 200000 1766080 11% /',
      '/dev/sdb1 131072 2100 128972 2% /srv/spool',
    ].join('\n');
    expect(rules(text, 'inode-exhaustion')).not.toContain('path-on-mount-with-room/inode-exhaustion');
    expect(rules(text, 'disk-full')).toContain('path-on-mount-with-room');
  });

  it('needs the df header: a bare row is not read as block usage', () => {
    const text = ["mkdir: cannot create directory '/srv/spool/q/1': No space left on device", '/dev/sdb1 2.0G 40M 1.9G 2% /srv/spool'].join('\n');
    expect(rules(text, 'inode-exhaustion')).not.toContain('path-on-mount-with-room/inode-exhaustion');
  });
});
