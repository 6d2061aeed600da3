// Verdicts in plain words, for people reading a terminal or a report (English; i18n.ts holds
// every language's words).
import { MESSAGES } from './i18n';

export const VERDICT_WORDS = MESSAGES.en.verdict;
