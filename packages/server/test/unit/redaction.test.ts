import { REDACTION_KINDS, type RedactionKind } from '@interlog/schema'
import { describe, expect, it } from 'vitest'
import { Redactor } from '../../src/privacy/redaction/redactor.js'

const all = new Redactor({ kinds: [...REDACTION_KINDS], custom_patterns: [], phone_default_country: 'US' })
const only = (kind: RedactionKind) => new Redactor({ kinds: [kind], custom_patterns: [], phone_default_country: 'US' })

/** [text, the sensitive part]: with every kind on, the part is gone and its placeholder stands in its place. */
const SENSITIVE: Record<RedactionKind, [string, string][]> = {
  email: [
    ['Please send the invoice to jane.doe@example.com by Friday.', 'jane.doe@example.com'],
    ['Contact: support+billing@acme-corp.co.uk', 'support+billing@acme-corp.co.uk'],
    ['my email is BOB_SMITH99@Mail.Example.org, thanks', 'BOB_SMITH99@Mail.Example.org'],
    ['Reach me at josé.garcía@correo.es', 'josé.garcía@correo.es'],
    ['<a href="mailto:info@shop.io">write us</a>', 'info@shop.io'],
  ],
  phone: [
    ['Call me at (415) 555-2671 after 5pm.', '(415) 555-2671'],
    ['My cell: +1 415-555-2671', '+1 415-555-2671'],
    ['office 212.555.0199 ext. 4', '212.555.0199'],
    ['Our London desk is +44 20 7946 0958.', '+44 20 7946 0958'],
    ['UK mobile +44 7700 900123', '+44 7700 900123'],
    ['Berlin: +49 30 901820', '+49 30 901820'],
    ['Paris +33 1 42 68 53 00', '+33 1 42 68 53 00'],
    ['Tokyo office +81 3-1234-5678', '+81 3-1234-5678'],
    ['call +91 98765 43210 today', '+91 98765 43210'],
    ['toll free 1-800-275-2273', '1-800-275-2273'],
    ['my number is 555-123-4567', '555-123-4567'],
    ['reach me on +55 11 91234-5678', '+55 11 91234-5678'],
    ['phone:4155552671', '4155552671'],
  ],
  credit_card: [
    ['Card number 4111 1111 1111 1111, exp 12/27', '4111 1111 1111 1111'],
    ['charge 5555-5555-5555-4444 please', '5555-5555-5555-4444'],
    ['amex 3782 822463 10005', '3782 822463 10005'],
    ['pay with 6011111111111117', '6011111111111117'],
    ['diners 3056 930902 5904', '3056 930902 5904'],
    ['mastercard 2223 0031 2200 3222', '2223 0031 2200 3222'],
    ['JCB:3530111333300000', '3530111333300000'],
  ],
  national_id: [
    ['My SSN is 078-05-1120.', '078-05-1120'],
    ['ssn 219 09 9999 on file', '219 09 9999'],
    ['SSN: 123456789', '123456789'],
    ['NI number AB 12 34 56 C', 'AB 12 34 56 C'],
    ['nino JG103759A', 'JG103759A'],
    ['SIN 130-492-838', '130-492-838'],
    ['SIN 727 918 252', '727 918 252'],
    ['DNI 12345678Z', '12345678Z'],
    ['NIE X1234567L', 'X1234567L'],
    ['codice fiscale RSSMRA85T10A562S', 'RSSMRA85T10A562S'],
    ['Aadhaar 4991 1866 5246', '4991 1866 5246'],
  ],
  ip_address: [
    ['request from 203.0.113.42 was blocked', '203.0.113.42'],
    ['server at 10.0.0.1.', '10.0.0.1'],
    ['host=192.168.1.254:8080', '192.168.1.254'],
    ['client 2001:db8:85a3::8a2e:370:7334 connected', '2001:db8:85a3::8a2e:370:7334'],
    ['loopback ::1 only', '::1'],
    ['link-local fe80::1ff:fe23:4567:890a%eth0', 'fe80::1ff:fe23:4567:890a%eth0'],
    ['full 2001:0db8:0000:0000:0000:ff00:0042:8329 form', '2001:0db8:0000:0000:0000:ff00:0042:8329'],
  ],
  secret: [
    ['use key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'],
    ['OPENAI_API_KEY=sk-abcdefghij0123456789ABCDEFGHIJ', 'sk-abcdefghij0123456789ABCDEFGHIJ'],
    ['anthropic sk-ant-api03-aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV', 'sk-ant-api03-aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV'],
    ['aws key AKIAIOSFODNN7EXAMPLE in config', 'AKIAIOSFODNN7EXAMPLE'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['token ghp_1234567890abcdefghijABCDEFGHIJ123456 leaked', 'ghp_1234567890abcdefghijABCDEFGHIJ123456'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
    ['slack xoxb-123456789012-abcdefghijkl', 'xoxb-123456789012-abcdefghijkl'],
    ['stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    ['google AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW', 'AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'eyJhbGciOiJIUzI1NiJ9'],
    ['curl -H "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0"', '9f8e7d6c5b4a39281706f5e4d3c2b1a0'],
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA=='],
    ['db postgres://admin:s3cr3tPass@db.internal:5432/app', 's3cr3tPass'],
    ['password=Hunter2Hunter2', 'Hunter2Hunter2'],
    ['{"api_key": "abc123def456ghi789"}', 'abc123def456ghi789'],
    ['interlog key il_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfG', 'il_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfG'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1c2\nabc+def/ghi==\n-----END RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA1c2'],
    ['key: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA (truncated', 'b3BlbnNzaC1rZXktdjEAAAAA'],
  ],
}

/** Real-looking text with numbers, dates, ids, prices and words that no kind must touch. */
const ORDINARY = [
  'Your order #48213377 shipped on 2024-03-15 and arrives Tuesday.',
  'Invoice INV-2024-000123 is due on 03/15/2024; the total is $1,234,567.89.',
  'Tracking number 1Z999AA10123456784, ref ORD-88412-22.',
  'We processed 12,345,678 rows in 1234.5678 ms at 2024-03-15T10:30:00Z.',
  'ISBN 978-3-16-148410-0, ZIP 94103-1234, room 12 floor 3 building 4567.',
  'Between 2020 and 2024 we sold 15000 units at €19.99 each; 3000000 tokens used.',
  'Request id 550e8400-e29b-41d4-a716-446655440000, epoch 1710498600, PO 4500012345.',
  'The meeting is at 10:30:00 and the MAC is 00:1A:2B:3C:4D:5E.',
  'Upgrade to version 10.15.7.2 of the app; see section 1.2.3.',
  'Account 12345678 with order 1234567890123456 (not a card).',
  'Please reset my password, my token expired and the secret santa list is ready.',
  'The bearer of this note asks about the Basic plan and the sk-learn-compatible estimators.',
  'std::vector<int> and Class::method are C++ names, as is a::b.',
  'She scored 98 out of 100; the temperature was 21.5 degrees; 3 4 5 6 7 8 9.',
  'Call the API at https://api.example.com/v1/items?page=2&limit=50.',
  'The key insight: tokens are cheap, passwords are not. Rate is 4.5/5.',
]

describe('redaction corpus', () => {
  for (const kind of REDACTION_KINDS) {
    describe(kind, () => {
      it.each(SENSITIVE[kind])('redacts %j', (text, part) => {
        const redacted = all.text(text)
        expect(redacted).not.toContain(part)
        expect(redacted).toMatch(/\[[A-Z_]+\]/)
        // The kind's own detector finds it alone, with its own placeholder.
        expect(only(kind).text(text)).not.toContain(part)
      })
    })
  }

  it('names each kind with its own placeholder', () => {
    expect(all.text('mail a@b.io, call +1 415-555-2671, card 4111 1111 1111 1111, SSN 078-05-1120, ip 203.0.113.9, key AKIAIOSFODNN7EXAMPLE')).toBe(
      'mail [EMAIL], call [PHONE], card [CREDIT_CARD], SSN [NATIONAL_ID], ip [IP_ADDRESS], key [SECRET]',
    )
    expect(all.text('Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0')).toBe('Authorization: Bearer [SECRET]')
    expect(all.text('postgres://admin:s3cr3tPass@db.internal/app')).toBe('postgres://admin:[SECRET]@db.internal/app')
  })

  it.each(ORDINARY)('leaves ordinary text untouched: %j', (text) => {
    expect(all.text(text)).toBe(text)
  })

  it('leaves numbers that fail their checks untouched', () => {
    for (const text of ['card 4111 1111 1111 1112', 'SSN 000-12-3456', 'SSN 666-12-3456', 'SIN 130-492-839', 'DNI 12345678A', 'ip 256.1.1.1', 'Aadhaar 4991 1866 5247']) {
      expect(all.text(text)).toBe(text)
    }
  })

  it('is idempotent: redacting redacted text changes nothing', () => {
    const once = all.text(SENSITIVE.secret.map(([text]) => text).join('\n') + SENSITIVE.phone.map(([text]) => text).join('\n'))
    expect(all.text(once)).toBe(once)
  })

  it('runs only the enabled kinds', () => {
    const text = 'mail jane@example.com or call (415) 555-2671'
    expect(only('email').text(text)).toBe('mail [EMAIL] or call (415) 555-2671')
    expect(only('phone').text(text)).toBe('mail jane@example.com or call [PHONE]')
    expect(new Redactor({ kinds: [], custom_patterns: [], phone_default_country: 'US' }).active).toBe(false)
  })

  it('reads national phone formats in the default country', () => {
    const uk = new Redactor({ kinds: ['phone'], custom_patterns: [], phone_default_country: 'GB' })
    expect(uk.text('ring 020 7946 0958 please')).toBe('ring [PHONE] please')
    expect(only('phone').text('ring 020 7946 0958 please')).toBe('ring 020 7946 0958 please')
  })

  it('applies custom patterns first, with their own placeholder and case option', () => {
    const custom = new Redactor({
      kinds: ['email'],
      custom_patterns: [
        { name: 'employee_id', pattern: 'EMP-\\d{6}' },
        { name: 'project', pattern: 'project falcon', case_insensitive: true },
      ],
      phone_default_country: 'US',
    })
    expect(custom.text('EMP-123456 on Project Falcon, mail emp@corp.com')).toBe('[EMPLOYEE_ID] on [PROJECT], mail [EMAIL]')
  })

  it('redacts every string of a JSON value, at any depth, keeping keys and other values', () => {
    const value = { to: 'jane@example.com', n: 4, ok: true, none: null, list: ['call 415-555-2671', { 'jane@example.com': ['ip 10.0.0.1'] }] }
    expect(all.value(value)).toEqual({ to: '[EMAIL]', n: 4, ok: true, none: null, list: ['call [PHONE]', { 'jane@example.com': ['ip [IP_ADDRESS]'] }] })
    expect(value.to).toBe('jane@example.com')
  })
})
