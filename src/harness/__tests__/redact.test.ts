import { isCredentialHeader, redactHeaders, scrubSecrets, scrubText } from '../redact'

describe('redactHeaders', () => {
  it('redacts credential headers by name and pattern, keeps the others', () => {
    expect(
      redactHeaders({
        Authorization: 'Bearer s3cret',
        'X-Api-Key': 'k',
        Cookie: 'a=b',
        'Proxy-Authorization': 'Basic x',
        'X-Extole-Token': 't',
        'X-Client-Secret': 's',
        'Content-Type': 'application/json',
        'User-Agent': 'Segment (Actions)'
      })
    ).toEqual({
      authorization: '<redacted>',
      'x-api-key': '<redacted>',
      cookie: '<redacted>',
      'proxy-authorization': '<redacted>',
      'x-extole-token': '<redacted>',
      'x-client-secret': '<redacted>',
      'content-type': 'application/json',
      'user-agent': 'Segment (Actions)'
    })
    expect(redactHeaders([['authorization', 'Bearer x']])).toEqual({ authorization: '<redacted>' })
    expect(isCredentialHeader('accept')).toBe(false)
  })
})

describe('scrubSecrets', () => {
  const key = 'k3y"with/odd chars'

  it('replaces the secret in strings, object keys, URL-encoded and JSON-escaped forms', () => {
    const value = {
      message: `failed with ${key}`,
      [key]: [key, 1, true, null],
      url: `http://x/?token=${encodeURIComponent(key)}`,
      raw: JSON.stringify({ token: key }),
      nested: { error: new Error(`boom ${key}`) }
    }
    const scrubbed = scrubSecrets(value, [key])
    const text = JSON.stringify(scrubbed)
    expect(text).not.toContain(key)
    expect(text).not.toContain(encodeURIComponent(key))
    expect(text).not.toContain(JSON.stringify(key).slice(1, -1))
    expect(scrubbed).toEqual({
      message: 'failed with <redacted>',
      '<redacted>': ['<redacted>', 1, true, null],
      url: 'http://x/?token=<redacted>',
      raw: '{"token":"<redacted>"}',
      nested: { error: { name: 'Error', message: 'boom <redacted>' } }
    })
  })

  it('ignores empty secrets and handles cycles', () => {
    const cyclic: Record<string, unknown> = { a: 'x' }
    cyclic.self = cyclic
    expect(scrubSecrets(cyclic, ['', undefined])).toEqual({ a: 'x', self: '[circular]' })
    expect(scrubText('abc', [''])).toBe('abc')
  })
})
