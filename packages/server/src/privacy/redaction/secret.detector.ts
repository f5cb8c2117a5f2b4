import { REDACTION_PLACEHOLDERS } from '@interlog/schema'
import { keepLabel, patternDetector, type Detector, type PatternRule } from './detector.js'

/** A token holds a digit somewhere (random keys always do), so words like "sk-learn-compatible" stay. */
const WITH_DIGIT = (chars: string) => `(?=${chars}*\\d)${chars}`

const rules: PatternRule[] = [
  // PEM private keys (RSA, EC, OpenSSH, PKCS#8, PGP), the whole block; a cut-off block to the end.
  { mayContain: /PRIVATE KEY/, pattern: /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g },
  // OpenAI (sk-, sk-proj-, sk-svcacct-) and Anthropic (sk-ant-) API keys.
  { mayContain: /sk-/, pattern: new RegExp(`\\bsk-${WITH_DIGIT('[A-Za-z0-9_-]')}{20,}`, 'g') },
  // AWS access key ids, and secret access keys after their usual names.
  { mayContain: /A(?:KI|SI|BI|CC|GP|ID|IP|NP|NV|RO|PK)A/, pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}\b/g },
  { mayContain: /aws/i, pattern: /(?<keep>aws_?secret_?access_?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/gi, replace: keepLabel },
  // GitHub tokens (classic, OAuth, app, refresh; fine-grained), GitLab, Slack, Stripe, Google, Hugging Face, interlog.
  { mayContain: /gh[pousr]_|github_pat_/, pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/g },
  { mayContain: /glpat-/, pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { mayContain: /xox/, pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { mayContain: /k_(?:live|test)_/, pattern: /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { mayContain: /AIza/, pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  { mayContain: /hf_/, pattern: /\bhf_[A-Za-z0-9]{30,}/g },
  { mayContain: /il_/, pattern: /\bil_[A-Za-z0-9_-]{40,}/g },
  // JSON Web Tokens.
  { mayContain: /eyJ/, pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g },
  // Bearer tokens and Basic credentials in authorization headers.
  { mayContain: /bearer/i, pattern: new RegExp(`(?<keep>\\bbearer\\s+)${WITH_DIGIT('[A-Za-z0-9._~+/-]')}{16,}=*`, 'gi'), replace: keepLabel },
  { mayContain: /basic/i, pattern: /(?<keep>\bauthorization["']?\s*[:=]\s*["']?basic\s+)[A-Za-z0-9+/]{8,}={0,2}/gi, replace: keepLabel },
  // Passwords in URLs: scheme://user:password@host.
  { mayContain: /:\/\//, pattern: /(?<keep>\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)[^\s@/]+(?=@)/gi, replace: keepLabel },
  // Values assigned to secret-looking names: password=..., "api_key": "...", client_secret: ...
  {
    mayContain: /[:=]/,
    pattern:
      /(?<keep>(?<![A-Za-z])(?:password|passwd|pwd|passphrase|secret|client[_-]?secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|private[_-]?key)["']?\s*[:=]\s*["']?)(?!\[)[^\s"',;]{6,}/gi,
    replace: keepLabel,
  },
]

/** One scan that a text must pass for any rule above to run. */
const MAY_CONTAIN = /PRIVATE KEY|sk-|A(?:KI|SI|BI|CC|GP|ID|IP|NP|NV|RO|PK)A|gh[pousr]_|github_pat_|glpat-|xox|k_(?:live|test)_|AIza|hf_|il_|eyJ|[Bb]earer|BEARER|[:=]/

/**
 * Secrets: private-key blocks, provider API keys and tokens (OpenAI, Anthropic, AWS, GitHub, GitLab,
 * Slack, Stripe, Google, Hugging Face, interlog), JWTs, bearer and basic credentials, passwords in
 * URLs, and values assigned to names such as password, api_key or client_secret.
 */
export const secretDetector: Detector = patternDetector({ placeholder: REDACTION_PLACEHOLDERS.secret, applies: () => true, mayContain: MAY_CONTAIN, rules })
