/**
 * Writes rules/locales/<locale>.yaml: the translations of the messages enospc reads (glibc's
 * strerror texts, coreutils' and util-linux' wrappers), taken from the projects' translation
 * catalogs. Run by hand when a catalog changes; the catalogs themselves are never copied, only the
 * msgid → msgstr facts for the listed messages, each with the catalog it came from.
 *
 * Usage: tsx scripts/extract-locales.ts [--mirror /work/.mirror] [--locale-dir /usr/share/locale]
 * Needs git (for the mirrored glibc and util-linux po files) and msgunfmt / msgconv (gettext) for compiled
 * catalogs (.mo) of the installed packages.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
};
const mirror = arg('--mirror', '/work/.mirror');
const localeDir = arg('--locale-dir', '/usr/share/locale');

// The locales of issue 11; each one costs the bundle ~3 KB minified (test/package/size.test.ts).
export const LOCALES = ['zh_CN', 'zh_TW', 'ja', 'ko', 'de', 'fr', 'es', 'it', 'pt_BR', 'ru'] as const;

/** The messages read, per text domain (msgid as in the source). */
export const MESSAGES: Readonly<Record<string, readonly string[]>> = {
  libc: [
    'No space left on device',
    'Too many open files',
    'Too many open files in system',
    'Disk quota exceeded',
    'Cannot allocate memory',
    'No such file or directory',
    'Device or resource busy',
    'Resource temporarily unavailable',
  ],
  coreutils: [
    'cannot create directory %s',
    'cannot create regular file %s',
    'cannot create symbolic link %s',
    'cannot touch %s',
    'error writing %s',
    'write error',
    'failed to extend %s',
    'inotify resources exhausted',
    'inotify cannot be used, reverting to polling',
    'cannot watch %s',
    'cannot open %s for writing',
    'failed to open %s for writing',
    'cannot create temporary file in %s',
    // df's column titles (read only on a line that also has the localized "Mounted on", see locale.ts)
    'Filesystem',
    'Size',
    'Used',
    'Avail',
    'Use%',
    'Inodes',
    'IUsed',
    'IFree',
    'IUse%',
    'Mounted on',
  ],
  // bash's own wrappers: `bash: line 1: echo: write error: No space left on device`
  bash: ['write error: %s', 'line %d: '],
  // GNU tar's `%s: Cannot %s` with its call names, read as the composite it prints (see TAR_CALLS)
  tar: ['%s: Cannot write', '%s: Cannot open', '%s: Cannot mkdir'],
  'util-linux': [
    'unshare failed',
    'create semaphore failed',
    'create share memory failed',
    'create message queue failed',
    'fallocate failed',
    'write failed',
    'mount failed: %m',
    'fork failed',
  ],
};

/**
 * Translations seen in the output of older releases whose catalogs are not on this machine: each
 * with the public page that shows the line.
 */
const OBSERVED: readonly { locale: string; domain: string; msgid: string; msgstr: string; cite: string }[] = [
  // coreutils 8.x zh_CN df -i header: "文件系统 Inode 已用(I) 可用(I) 已用(I)% 挂载点"
  { locale: 'zh_CN', domain: 'coreutils', msgid: 'Inodes', msgstr: 'Inode', cite: 'observed: df -i output in https://wsa.jianshu.io/p/c27ee8eeb872 (coreutils 8.x zh_CN)' },
  { locale: 'zh_CN', domain: 'coreutils', msgid: 'IUsed', msgstr: '已用(I)', cite: 'observed: df -i output in https://wsa.jianshu.io/p/c27ee8eeb872 (coreutils 8.x zh_CN)' },
  { locale: 'zh_CN', domain: 'coreutils', msgid: 'IFree', msgstr: '可用(I)', cite: 'observed: df -i output in https://wsa.jianshu.io/p/c27ee8eeb872 (coreutils 8.x zh_CN)' },
  { locale: 'zh_CN', domain: 'coreutils', msgid: 'IUse%', msgstr: '已用(I)%', cite: 'observed: df -i output in https://wsa.jianshu.io/p/c27ee8eeb872 (coreutils 8.x zh_CN)' },
  // the older zh_CN titles operators quote (issue 11): "文件系统 容量 已用 可用 已用% 挂载点", "I节点 已用(I) 可用(I) 已用(I)%"
  { locale: 'zh_CN', domain: 'coreutils', msgid: 'Size', msgstr: '容量', cite: 'observed: coreutils 8.x zh_CN df header as quoted in enospc issue 11' },
  { locale: 'zh_CN', domain: 'coreutils', msgid: 'Inodes', msgstr: 'I节点', cite: 'observed: coreutils 8.x zh_CN df -i header as quoted in enospc issue 11' },
];

interface Source {
  readonly domain: string;
  /** How the catalog is cited in the yaml. */
  readonly cite: string;
  readonly text: () => string | undefined;
}

function git(repo: string, ...args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

function mirrorSource(domain: string, owner: string, locale: string): Source {
  const repo = join(mirror, owner, 'repo');
  const ref = git(repo, 'describe', '--tags')?.trim() ?? git(repo, 'log', '-1', '--format=%H')?.trim() ?? 'HEAD';
  return { domain, cite: `${owner.replace('+', '/')} po/${locale}.po @ ${ref}`, text: () => git(repo, 'show', `HEAD:po/${locale}.po`) };
}

function packageSource(domain: string, locale: string): Source {
  const file = join(localeDir, locale, 'LC_MESSAGES', `${domain}.mo`);
  let pkg = '';
  try {
    const owner = execFileSync('dpkg', ['-S', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(':')[0]!;
    const version = execFileSync('dpkg-query', ['-W', '-f=${Version}', owner], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    pkg = ` (Debian package ${owner} ${version})`;
  } catch {
    // not a Debian system: the path alone
  }
  return {
    domain,
    cite: `${file}${pkg}`,
    // msgunfmt prints in the catalog's charset (tar's ja catalog is EUC-JP): msgconv makes it UTF-8.
    text: () =>
      existsSync(file)
        ? execFileSync('msgconv', ['-t', 'UTF-8'], {
            input: execFileSync('msgunfmt', [file], { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] }),
            encoding: 'utf8',
            maxBuffer: 64 << 20,
            stdio: ['pipe', 'pipe', 'ignore'],
          })
        : undefined,
  };
}

/**
 * GNU tar prints `_("%s: Cannot %s")` with the call name (`write`, `open`, `mkdir`) left in English
 * (`tar: /dev/full: Funktion write fehlgeschlagen: …` under de_DE): the composite is what a line
 * holds, so that is what is extracted.
 */
function withTarComposites(po: Map<string, string>): Map<string, string> {
  const fmt = po.get('%s: Cannot %s');
  if (fmt === undefined) return po;
  for (const call of ['write', 'open', 'mkdir']) {
    const t = call;
    let k = 0;
    // the second conversion (or `%2$s`) is the call
    const text = fmt.includes('%2$s') ? fmt.replace('%2$s', t).replace('%1$s', '%s') : fmt.replace(/%s/g, (m) => (++k === 2 ? t : m));
    po.set(`%s: Cannot ${call}`, text);
  }
  return po;
}

/** msgid → msgstr of a po file's translated, non-fuzzy entries (singular forms only). */
export function parsePo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };
  const unq = (s: string): string => s.slice(1, -1).replace(/\\(.)/g, (_, c: string) => esc[c] ?? c);
  for (const block of text.split(/\n\s*\n/)) {
    if (/^#,.*\bfuzzy\b/m.test(block)) continue;
    let key: 'msgid' | 'msgstr' | undefined;
    let id = '';
    let str = '';
    for (const line of block.split('\n')) {
      const m = /^(msgid|msgstr|msgctxt|msgid_plural|msgstr\[\d+\])\s+(".*")\s*$/.exec(line);
      if (m !== null) {
        key = m[1] === 'msgid' || m[1] === 'msgstr' ? m[1] : undefined;
        if (key === 'msgid') id = unq(m[2]!);
        else if (key === 'msgstr') str = unq(m[2]!);
        continue;
      }
      const c = /^(".*")\s*$/.exec(line);
      if (c !== null && key === 'msgid') id += unq(c[1]!);
      else if (c !== null && key === 'msgstr') str += unq(c[1]!);
    }
    if (id !== '' && str !== '' && str !== id) out.set(id, str);
  }
  return out;
}

function main(): void {
  mkdirSync(join(root, 'rules', 'locales'), { recursive: true });
  for (const locale of LOCALES) {
    const sources: Source[] = [
      mirrorSource('libc', 'bminor+glibc', locale),
      packageSource('libc', locale),
      packageSource('coreutils', locale),
      packageSource('bash', locale),
      packageSource('tar', locale),
      mirrorSource('util-linux', 'util-linux+util-linux', locale),
    ];
    const messages: { domain: string; msgid: string; msgstr: string; catalogs: string[] }[] = [];
    const catalogs: string[] = [];
    for (const src of sources) {
      const text = src.text();
      if (text === undefined) continue;
      const po = src.domain === 'tar' ? withTarComposites(parsePo(text)) : parsePo(text);
      let used = false;
      for (const msgid of MESSAGES[src.domain] ?? []) {
        const msgstr = po.get(msgid);
        if (msgstr === undefined) continue;
        used = true;
        const same = messages.find((m) => m.domain === src.domain && m.msgid === msgid && m.msgstr === msgstr);
        if (same !== undefined) same.catalogs.push(src.cite);
        else messages.push({ domain: src.domain, msgid, msgstr, catalogs: [src.cite] });
      }
      if (used) catalogs.push(src.cite);
    }
    for (const o of OBSERVED) {
      if (o.locale !== locale || messages.some((m) => m.domain === o.domain && m.msgid === o.msgid && m.msgstr === o.msgstr)) continue;
      messages.push({ domain: o.domain, msgid: o.msgid, msgstr: o.msgstr, catalogs: [o.cite] });
      if (!catalogs.includes(o.cite)) catalogs.push(o.cite);
    }
    const doc = {
      locale,
      description: `Translations (${locale}) of the strerror texts and tool wrappers enospc reads, from the catalogs listed; written by scripts/extract-locales.ts.`,
      catalogs,
      messages: messages.map((m) => ({ domain: m.domain, msgid: m.msgid, msgstr: m.msgstr, catalogs: m.catalogs.map((c) => catalogs.indexOf(c)) })),
    };
    const file = join(root, 'rules', 'locales', `${locale}.yaml`);
    writeFileSync(file, `# Generated by scripts/extract-locales.ts from the catalogs below; catalogs[i] indexes the list.\n${stringify(doc, { lineWidth: 0 })}`);
    console.log(`${file}: ${messages.length} messages from ${catalogs.length} catalogs`);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
