import { describe, expect, it } from 'vitest';
import { splitFlattenedDf } from '../../src/input/df-flat.js';
import { frameText } from '../../src/input/frame.js';
import { classify } from '../../src/index.js';

// Rows written for these tests in the shapes coreutils df prints (src/df.c titles), then run together
// on one line as a paste that lost its line breaks does.
describe('df tables flattened onto one line', () => {
  it('reads a df -h table after a prompt as its header and rows', () => {
    const line = '[root@n1 ~]# df -h Filesystem Size Used Avail Use% Mounted on /dev/sda2 40G 12G 26G 32% / tmpfs 3.9G 0 3.9G 0% /dev/shm /dev/sdb1 99G 98G 1.0G 99% /data [root@n1 ~]#';
    expect(splitFlattenedDf(line)).toEqual([
      '[root@n1 ~]# df -h',
      'Filesystem Size Used Avail Use% Mounted on',
      '/dev/sda2 40G 12G 26G 32% /',
      'tmpfs 3.9G 0 3.9G 0% /dev/shm',
      '/dev/sdb1 99G 98G 1.0G 99% /data',
      '[root@n1 ~]#',
    ]);
  });

  it('reads df -i, df -T and the 1K-blocks header by their own columns', () => {
    expect(splitFlattenedDf('Filesystem Inodes IUsed IFree IUse% Mounted on /dev/vdb1 131072 131072 0 100% /srv overlay 655360 1200 654160 1% /var/lib/docker/overlay2/abc/merged')).toEqual([
      'Filesystem Inodes IUsed IFree IUse% Mounted on',
      '/dev/vdb1 131072 131072 0 100% /srv',
      'overlay 655360 1200 654160 1% /var/lib/docker/overlay2/abc/merged',
    ]);
    expect(splitFlattenedDf('Filesystem Type 1K-blocks Used Available Use% Mounted on /dev/nvme0n1p1 ext4 20145724 9012344 11116996 45% / total - 20145724 9012344 11116996 45% -')).toEqual([
      'Filesystem Type 1K-blocks Used Available Use% Mounted on',
      '/dev/nvme0n1p1 ext4 20145724 9012344 11116996 45% /',
      'total - 20145724 9012344 11116996 45% -',
    ]);
  });

  it('reads two tables on one line, each under its own header', () => {
    const pieces = splitFlattenedDf('Filesystem Size Used Avail Use% Mounted on /dev/sda1 20G 4G 16G 20% / $ df -i Filesystem Inodes IUsed IFree IUse% Mounted on /dev/sda1 1.3M 1.3M 0 100% /');
    expect(pieces).toEqual([
      'Filesystem Size Used Avail Use% Mounted on',
      '/dev/sda1 20G 4G 16G 20% /',
      '$ df -i',
      'Filesystem Inodes IUsed IFree IUse% Mounted on',
      '/dev/sda1 1.3M 1.3M 0 100% /',
    ]);
  });

  it('leaves a header or a row on its own line, and prose naming the titles, as they are', () => {
    expect(splitFlattenedDf('Filesystem      Size  Used Avail Use% Mounted on'.replace(/ +/g, ' '))).toBeUndefined();
    expect(splitFlattenedDf('/dev/sda1 20G 4G 16G 20% /')).toBeUndefined();
    expect(splitFlattenedDf('the Filesystem column and the Mounted on column')).toBeUndefined();
    expect(splitFlattenedDf('')).toBeUndefined();
  });

  it('stops the rows at the first token that does not fit its column', () => {
    expect(splitFlattenedDf('Filesystem Size Used Avail Use% Mounted on /dev/sda1 20G lots 16G 20% /')).toEqual([
      'Filesystem Size Used Avail Use% Mounted on',
      '/dev/sda1 20G lots 16G 20% /',
    ]);
  });

  it('gives every piece the line number of the line it came from', () => {
    const recs = frameText('first line\n$ df -h Filesystem Size Used Avail Use% Mounted on /dev/sda1 20G 19.5G 0.5G 98% /var\n');
    expect(recs.map((r) => [r.line, r.message])).toEqual([
      [1, 'first line'],
      [2, '$ df -h'],
      [2, 'Filesystem Size Used Avail Use% Mounted on'],
      [2, '/dev/sda1 20G 19.5G 0.5G 98% /var'],
    ]);
  });

  it('reads a localized flattened header once it is translated', () => {
    const d = classify('$ df -h Dateisystem Größe Benutzt Verf. Verw% Eingehängt auf /dev/sda1 49G 49G 0 100% / tmpfs 1,6G 0 1,6G 0% /dev/shm');
    expect(d.findings.find((f) => f.cause === 'disk-full')?.rules.map((r) => r.rule)).toContain('df-usage-full');
  });

  it('diagnoses the inodes when the flattened df -i shows them full and df the blocks free', () => {
    const text = [
      "$ mkdir /srv/cache/a mkdir: cannot create directory '/srv/cache/a': No space left on device",
      '$ df Filesystem 1K-blocks Used Available Use% Mounted on /dev/vdc1 10255636 3012344 6702620 32% /srv tmpfs 1020000 0 1020000 0% /dev/shm',
      '$ df -i Filesystem Inodes IUsed IFree IUse% Mounted on /dev/vdc1 655360 655360 0 100% /srv tmpfs 255000 1 254999 1% /dev/shm',
    ].join('\n');
    const d = classify(text);
    expect(d.cause).toBe('inode-exhaustion');
    // The df -i row at 100 % is an inode row (the IUsed header above it), not a block row.
    expect(d.findings.find((f) => f.cause === 'disk-full')?.rules.map((r) => r.rule) ?? []).not.toContain('df-usage-full-blocks');
  });
});
