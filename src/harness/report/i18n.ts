// The words of grade's terminal output, the class report and the gradebook CSV, in English
// and Chinese. Clause texts (DESCRIPTION, EXPECTATION) live in their case files, in both
// (`description`/`expectation` and `zh`); clauseText picks one.
import type { ClauseText, Level, Verdict } from '../clause';
import type { ClauseStatus } from '../runner/results';

export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];

/** The language a locale environment asks for (LC_ALL, then LC_MESSAGES, then LANG): zh for any Chinese locale, else en. */
export function langFromEnv(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh' : 'en';
}

type WordKey = Verdict | Exclude<ClauseStatus, 'pass' | 'fail'>;

export interface Messages {
  lang: Lang;
  /** The verdict in words (a sentence fragment: "the server crashed"). */
  verdict: Record<WordKey, string>;
  /** The verdict in a word or two, for the matrix. */
  short: Record<WordKey, string>;
  /** Short cell labels of the matrix. */
  cell: { pass: string; notRun: string; na: string; blocked: string; incomplete: string; notGraded: string };
  level: Record<Level, string>;
  csv: { student: string; score: string; max_score: string; failed: string; first_finding: string };
  report: {
    title: (group: string) => string;
    sortedByScore: string;
    sortedByName: string;
    sortByName: string;
    sortByScore: string;
    summary: (graded: number, total: number, median: string) => string;
    scoresHeading: string;
    scoresChartTitle: string;
    scoresAxis: string;
    submissionsHeading: string;
    student: string;
    score: string;
    failed: string;
    firstFinding: string;
    details: string;
    clausesHeading: string;
    clausesIntro: string;
    chartTitle: string;
    clause: string;
    level: string;
    failedBy: string;
    notTried: string;
    verdicts: string;
    example: string;
    matrixHeading: string;
    matrixIntro: string;
    none: string;
    notGraded: string;
    incompleteNote: (n: number) => string;
    footer: (version: string, seed: string) => string;
    reproduce: string;
    files: string;
  };
  term: {
    start: (n: number, group: string, jobs: number, stored: number) => string;
    startReport: (n: number, group: string, stored: number) => string;
    stored: string;
    notGraded: string;
    incomplete: string;
    allPassed: string;
    progress: (done: number, total: number, elapsed: string, left: string) => string;
    done: (n: number, secs: string, stored: number) => string;
    mostFailed: (id: string, share: string) => string;
    wrote: (file: string) => string;
  };
  why: {
    noPython: string;
    noServer: string;
    several: (files: string[]) => string;
    entryMissing: (entry: string) => string;
    entryFallback: (entry: string, chosen: string) => string;
    noPort: (entry: string) => string;
    fixedPort: (port: number) => string;
    notListening: (detail: string) => string;
    internal: (detail: string) => string;
    timedOut: (secs: number) => string;
    notStored: string;
    stale: string;
  };
}

const EN: Messages = {
  lang: 'en',
  verdict: {
    pass: 'passed',
    'wrong-answer': 'wrong answer',
    crash: 'the server crashed',
    hang: 'the server hung (no progress within the step time)',
    'busy-loop': 'the server spun at full CPU',
    reset: 'the server reset the connection',
    'data-loss': 'the stored data differs from what was sent',
    escape: 'the server wrote outside its folder',
    'not-serving': 'the next client was not served',
    flood: 'the server sent without end',
    'not-run': 'not run',
    'not-applicable': 'does not apply to this variant',
    blocked: 'blocked by an earlier finding',
  },
  short: { pass: 'pass', 'wrong-answer': 'wrong answer', crash: 'crash', hang: 'hang', 'busy-loop': 'busy loop', reset: 'reset', 'data-loss': 'data loss', escape: 'escape', 'not-serving': 'not serving', flood: 'flood', 'not-run': 'not run', 'not-applicable': 'n/a', blocked: 'blocked' },
  cell: { pass: 'pass', notRun: 'not run', na: 'n/a', blocked: 'blocked', incomplete: 'incomplete', notGraded: 'not graded' },
  level: { MUST: 'MUST', ROBUST: 'ROBUST', ADVISORY: 'ADVISORY' },
  csv: { student: 'student', score: 'score', max_score: 'max_score', failed: 'failed', first_finding: 'first_finding' },
  report: {
    title: (group) => `sockspec class report: ${group}`,
    sortedByScore: 'Submissions sorted by score (highest first).',
    sortedByName: 'Submissions sorted by name.',
    sortByName: 'Sort by name',
    sortByScore: 'Sort by score',
    summary: (graded, total, median) => `${graded} of ${total} submissions graded; median score ${median}.`,
    scoresHeading: 'Scores',
    scoresChartTitle: 'How many submissions got each share of the points',
    scoresAxis: 'share of the points',
    submissionsHeading: 'Submissions',
    student: 'student',
    score: 'score',
    failed: 'MUST/ROBUST failed',
    firstFinding: 'first finding',
    details: 'report',
    clausesHeading: 'What the class gets wrong',
    clausesIntro: 'Each clause with the share of graded submissions that fail it (where it applies), most failed first: MUST and ROBUST clauses, then ADVISORY ones (they cost no points). "Not tried" counts submissions where it was blocked by an earlier finding or not run in the time limit.',
    chartTitle: 'Share of the class that fails each clause',
    clause: 'clause',
    level: 'level',
    failedBy: 'fail',
    notTried: 'not tried',
    verdicts: 'how it fails',
    example: 'example finding',
    matrixHeading: 'Every clause of every submission',
    matrixIntro: 'Green: passed. Red: a MUST or ROBUST failure. Yellow: ADVISORY. Violet: not run or incomplete (no points). Brown: blocked by an earlier finding. Grey: does not apply. Click a verdict for its session.',
    none: 'None.',
    notGraded: 'not graded',
    incompleteNote: (n) => `${n} submission(s) could not try every MUST and ROBUST clause within the time limit: they have no verdict of "pass" and those clauses earn no points. Grade again with more time (--time-limit SEC).`,
    footer: (version, seed) => `sockspec ${version} · seed ${seed}`,
    reproduce: 'graded with',
    files: 'Files: scores.csv (gradebook), students/NAME/ (results.json, junit.xml, grading.json, index.html).',
  },
  term: {
    start: (n, group, jobs, stored) => `sockspec grade: ${n} submission(s), ${group}, ${jobs} at a time${stored ? ` (${stored} from stored results)` : ''}`,
    startReport: (n, group, stored) => `sockspec grade: ${n} submission(s), ${group}: the report from stored results only (${stored} match)`,
    stored: 'stored',
    notGraded: 'not graded',
    incomplete: 'incomplete',
    allPassed: 'every MUST and ROBUST clause passed',
    progress: (done, total, elapsed, left) => `${done}/${total} · ${elapsed} elapsed${left ? ` · about ${left} left` : ''}`,
    done: (n, secs, stored) => `graded ${n} submission(s) in ${secs}${stored ? ` (${stored} from stored results)` : ''}`,
    mostFailed: (id, share) => `most failed: ${id} (${share} of the class)`,
    wrote: (file) => `wrote ${file}`,
  },
  why: {
    noPython: 'no .py file in the submission',
    noServer: 'no .py file in the submission binds a socket (give the server with --entry FILE)',
    several: (files) => `${files.length} .py files bind a socket (${files.join(', ')}): say which is the server with --entry FILE`,
    entryMissing: (entry) => `there is no ${entry} in the submission, and no single .py file that binds a socket`,
    entryFallback: (entry, chosen) => `no ${entry}: graded ${chosen}, the one .py file that binds a socket`,
    noPort: (entry) => `cannot tell which port ${entry} listens on (it reads no port from sys.argv and binds no literal port): give it with --port N`,
    fixedPort: (port) => `binds the fixed port ${port} (graded alone on that port)`,
    notListening: (detail) => `the server could not be started: ${detail}`,
    internal: (detail) => `sockspec failed while grading this submission (an internal error, not the student's): ${detail}`,
    timedOut: (secs) => `grading took longer than ${secs} s and was stopped`,
    notStored: 'not graded yet (no stored result)',
    stale: 'not graded: the stored result is out of date (the source, the flags or sockspec changed)',
  },
};

const ZH: Messages = {
  lang: 'zh',
  verdict: {
    pass: '通过',
    'wrong-answer': '回答错误',
    crash: '服务器崩溃',
    hang: '服务器卡住（一个步骤的时间内没有进展）',
    'busy-loop': '服务器空转占满 CPU',
    reset: '服务器重置了连接',
    'data-loss': '保存的数据与发送的不同',
    escape: '服务器写到了自己的文件夹之外',
    'not-serving': '下一个客户端没有得到服务',
    flood: '服务器无休止地发送',
    'not-run': '未运行',
    'not-applicable': '不适用于此变体',
    blocked: '被之前的问题阻塞',
  },
  short: { pass: '通过', 'wrong-answer': '回答错误', crash: '崩溃', hang: '卡住', 'busy-loop': '空转', reset: '重置连接', 'data-loss': '数据丢失', escape: '越界写入', 'not-serving': '不再服务', flood: '无休止发送', 'not-run': '未运行', 'not-applicable': '不适用', blocked: '阻塞' },
  cell: { pass: '通过', notRun: '未运行', na: '不适用', blocked: '阻塞', incomplete: '不完整', notGraded: '未评分' },
  level: { MUST: '必须', ROBUST: '健壮', ADVISORY: '建议' },
  csv: { student: '学生', score: '得分', max_score: '满分', failed: '未通过', first_finding: '第一个问题' },
  report: {
    title: (group) => `sockspec 班级报告：${group}`,
    sortedByScore: '作业按得分排序（从高到低）。',
    sortedByName: '作业按名字排序。',
    sortByName: '按名字排序',
    sortByScore: '按得分排序',
    summary: (graded, total, median) => `${total} 份作业中已评分 ${graded} 份；得分中位数 ${median}。`,
    scoresHeading: '得分',
    scoresChartTitle: '各得分比例的作业数量',
    scoresAxis: '得分比例',
    submissionsHeading: '作业',
    student: '学生',
    score: '得分',
    failed: '未通过的必须/健壮条款',
    firstFinding: '第一个问题',
    details: '报告',
    clausesHeading: '全班最常出错的地方',
    clausesIntro: '每个条款在已评分作业中（适用时）未通过的比例，最常出错的在前：先是必须和健壮条款，然后是建议条款（不扣分）。“未尝试”是被之前的问题阻塞、或在时间限制内未运行的作业数。',
    chartTitle: '全班未通过各条款的比例',
    clause: '条款',
    level: '级别',
    failedBy: '未通过',
    notTried: '未尝试',
    verdicts: '失败方式',
    example: '问题示例',
    matrixHeading: '每份作业的每个条款',
    matrixIntro: '绿色：通过。红色：必须或健壮条款未通过。黄色：建议。紫色：未运行或不完整（不得分）。棕色：被之前的问题阻塞。灰色：不适用。点击结论查看会话。',
    none: '无。',
    notGraded: '未评分',
    incompleteNote: (n) => `${n} 份作业没能在时间限制内尝试每个必须和健壮条款：它们没有“通过”的结论，这些条款不得分。请给更多时间重新评分（--time-limit 秒数）。`,
    footer: (version, seed) => `sockspec ${version} · 种子 ${seed}`,
    reproduce: '评分命令',
    files: '文件：scores.csv（成绩单），students/名字/（results.json、junit.xml、grading.json、index.html）。',
  },
  term: {
    start: (n, group, jobs, stored) => `sockspec grade：${n} 份作业，${group}，同时 ${jobs} 份${stored ? `（${stored} 份使用已保存的结果）` : ''}`,
    startReport: (n, group, stored) => `sockspec grade：${n} 份作业，${group}：只用已保存的结果生成报告（${stored} 份匹配）`,
    stored: '已保存',
    notGraded: '未评分',
    incomplete: '不完整',
    allPassed: '所有必须和健壮条款都通过',
    progress: (done, total, elapsed, left) => `${done}/${total} · 已用 ${elapsed}${left ? ` · 约剩 ${left}` : ''}`,
    done: (n, secs, stored) => `已评分 ${n} 份作业，用时 ${secs}${stored ? `（${stored} 份使用已保存的结果）` : ''}`,
    mostFailed: (id, share) => `最常出错：${id}（全班 ${share}）`,
    wrote: (file) => `已写入 ${file}`,
  },
  why: {
    noPython: '作业中没有 .py 文件',
    noServer: '作业中没有绑定套接字的 .py 文件（用 --entry 文件 指定服务器）',
    several: (files) => `有 ${files.length} 个 .py 文件绑定套接字（${files.join('、')}）：用 --entry 文件 指定哪个是服务器`,
    entryMissing: (entry) => `作业中没有 ${entry}，也没有唯一一个绑定套接字的 .py 文件`,
    entryFallback: (entry, chosen) => `没有 ${entry}：评分的是 ${chosen}，唯一一个绑定套接字的 .py 文件`,
    noPort: (entry) => `无法判断 ${entry} 监听哪个端口（它既不从 sys.argv 读取端口，也没有绑定固定端口）：用 --port N 指定`,
    fixedPort: (port) => `绑定固定端口 ${port}（在该端口上单独评分）`,
    notListening: (detail) => `服务器无法启动：${detail}`,
    internal: (detail) => `sockspec 在评分这份作业时出错（是内部错误，不是学生的错）：${detail}`,
    timedOut: (secs) => `评分超过 ${secs} 秒，已停止`,
    notStored: '尚未评分（没有已保存的结果）',
    stale: '未评分：已保存的结果已过时（源代码、参数或 sockspec 已改变）',
  },
};

export const MESSAGES: Record<Lang, Messages> = { en: EN, zh: ZH };

export function messages(lang: Lang): Messages {
  return MESSAGES[lang];
}

/** A verdict in words, about the program that was tested: the server, or (fuzz-client) the client. */
export function verdictWords(lang: Lang, verdict: WordKey, tested: 'server' | 'client' = 'server'): string {
  const words = MESSAGES[lang].verdict[verdict];
  return tested === 'client' ? words.replace(/the server/g, 'the client').replace(/服务器|服务端/g, '客户端') : words;
}

/** "server" or "client": whose stderr, whose traceback. */
export const testedWord = (tested: 'server' | 'client' | undefined) => (tested === 'client' ? 'client' : 'server');

/**
 * A clause's DESCRIPTION and EXPECTATION in `lang`, of a clause or of its result. A result
 * written before clauses had Chinese texts has none: it keeps its English ones.
 */
export function clauseText(clause: ClauseText & { zh?: ClauseText }, lang: Lang): ClauseText {
  const text = lang === 'zh' && clause.zh ? clause.zh : clause;
  return { description: text.description, expectation: text.expectation };
}
