import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/index.js';
import { ROOT } from '../support/rules.js';

const ENOSPC_MSG = 'unable to ensure pod container exists: failed to create container for [kubepods besteffort pod1] : mkdir /sys/fs/cgroup/memory/kubepods/besteffort/pod1: no space left on device';

describe('parsing cannot pollute prototypes', () => {
  const pastes = [
    `{"__proto__":{"polluted":1},"apiVersion":"v1","kind":"Event","reason":"FailedCreatePodContainer","type":"Warning","message":"${ENOSPC_MSG}"}`,
    `{"apiVersion":"v1","kind":"List","items":[{"constructor":{"prototype":{"polluted":1}},"reason":"FailedCreatePodContainer","message":"${ENOSPC_MSG}","metadata":{"__proto__":{"polluted":1}}}]}`,
    `{"__CURSOR":"s=1","__proto__":{"polluted":1},"SYSLOG_IDENTIFIER":"kubelet","_PID":"2301","MESSAGE":"E0304 10:30:58.280275    2301 pod_container_manager.go:1] ${ENOSPC_MSG}"}`,
    ['apiVersion: v1', 'kind: Event', '__proto__:', '  polluted: 1', 'constructor:', '  prototype:', '    polluted: 1', 'reason: FailedCreatePodContainer', `message: '${ENOSPC_MSG}'`].join('\n'),
  ];
  it.each(pastes.map((p, i) => [i, p] as const))('paste %i: keys are data, the record still classifies', (_i, paste) => {
    const d = classify(paste);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect((Object.prototype as { polluted?: unknown }).polluted).toBeUndefined();
    expect(d.cause).toBe('cgroup-leak');
  });
});

describe('nothing from input or rule files is evaluated', () => {
  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });
  }
  it('src/ has no eval, new Function or dynamic code from strings', () => {
    const offenders = files(join(ROOT, 'src')).filter((f) => /\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(\s*['"`]/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
