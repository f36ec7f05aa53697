import fc from 'fast-check'

/**
 * fast-check generators of hostile Segment events: missing, null and wrongly typed fields, huge strings, deep
 * nesting, unicode and control characters, lone surrogates, prototype-pollution keys (own properties, as
 * `JSON.parse` makes them), numbers as strings, invalid timestamps and emails, huge and NaN-like numbers.
 *
 * Plausible values keep a fair weight everywhere, so a good share of cases gets all the way to a request and the
 * request body is checked, not only the refusals.
 */

type Weighted<T> = [number, fc.Arbitrary<T>]

/** `fc.oneof` with integer weights, written as `[weight, arbitrary]` pairs. */
function weighted<T>(...choices: Weighted<T>[]): fc.Arbitrary<T> {
  return fc.oneof(...choices.map(([weight, arbitrary]) => ({ weight, arbitrary })))
}

/**
 * An object whose keys are all own, enumerable data properties, `__proto__` included (as `JSON.parse` makes them):
 * `Object.fromEntries` defines properties, it never assigns them, so no setter (and no prototype) is reached.
 */
export function ownObject(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  return Object.fromEntries(entries)
}

// ---------------------------------------------------------------------------------------------------------------
// Characters and strings

export const HUGE_LENGTH = 100_000

const controlChar = fc
  .constantFrom(
    ...Array.from({ length: 0x20 }, (_, code) => code),
    0x7f,
    0x85,
    0xa0,
    0x200b,
    0x200e,
    0x202e,
    0x2028,
    0x2029,
    0xfeff
  )
  .map((code) => String.fromCharCode(code))
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code))
const binaryChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })
const hostileChar = weighted<string>([6, binaryChar], [2, controlChar], [1, loneSurrogate])

/**
 * 100k characters, used sparingly: only in identity fields (userId, anonymousId, email and their property
 * twins) and event names, at weight `HUGE_WEIGHT` (1 in 100 to 1 in 600 draws of such a field), which puts one in
 * about 1% of the cases.
 */
const HUGE_WEIGHT = 1

export const hugeString = fc
  .constantFrom('a', 'é', '😀', '"', '\\', '\u0000', '\ud800')
  .map((unit) => unit.repeat(HUGE_LENGTH))

const nastyStrings = fc.constantFrom(
  '',
  ' ',
  '\t\n\r',
  '\u00a0',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  'true',
  '[object Object]',
  '{}',
  '[]',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '%7B%7D',
  '${7*7}',
  '{{7*7}}',
  '{{ settings.apiKey }}',
  '__proto__',
  'constructor',
  'Bearer x',
  '\ud83d',
  '\ude00',
  'a\ud800b',
  '\u202egnp.exe',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗͔̈́',
  '𝕿𝖊𝖘𝖙',
  'ﷺ',
  '用户'
)

export const numberAsString = weighted<string>(
  [2, fc.integer().map(String)],
  [1, fc.double().map(String)],
  [
    2,
    fc.constantFrom(
      '0',
      '-1',
      '00123',
      '1e309',
      '-1e309',
      '0x1F',
      '0b101',
      '1_000',
      '9007199254740993',
      '123456789012345678901234567890',
      '1.0',
      '.5',
      '5.',
      ' 42 ',
      '+7',
      '١٢٣'
    )
  ]
)

export const hostileString = weighted<string>(
  [4, fc.string({ unit: hostileChar, maxLength: 24 })],
  [3, fc.string({ maxLength: 16 })],
  [2, nastyStrings],
  [1, numberAsString]
)

// ---------------------------------------------------------------------------------------------------------------
// Numbers, emails, timestamps

export const hostileNumber = weighted<number>(
  [2, fc.integer()],
  [2, fc.double()], // NaN, ±Infinity and -0 included
  [
    2,
    fc.constantFrom(
      0,
      -0,
      NaN,
      Infinity,
      -Infinity,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 2,
      -Number.MAX_SAFE_INTEGER - 2,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      Number.MIN_VALUE,
      Number.EPSILON,
      1e21,
      -1e21,
      8.64e15,
      8.64e15 + 1,
      -8.64e15 - 1,
      0.1 + 0.2
    )
  ]
)

const invalidEmails = fc.constantFrom(
  '',
  ' ',
  'x',
  'x@',
  '@x.co',
  'a@b',
  'a@@b.co',
  'a@b..co',
  'a..b@c.co',
  '.a@b.co',
  'a b@c.co',
  'a@b.co\u0000',
  'a\u0000@b.co',
  'a@-b.co',
  'a@b.co.',
  '<a@b.co>',
  '"a"@b.co',
  'a@[127.0.0.1]',
  'a@b.c\ud800',
  '用户@例子.广告',
  'ü@ß.de',
  'a@b.co, c@d.co',
  'a@b.co\nBcc: c@d.co',
  `${'a'.repeat(300)}@b.co`,
  `a@${'b'.repeat(70)}.co`
)

export const hostileEmail = weighted<string>(
  [5, fc.emailAddress()],
  [2, fc.emailAddress().map((email) => ` ${email.toUpperCase()}\t`)],
  [4, invalidEmails],
  [1, hostileString]
)

const isoDate = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString())

const badTimestamps = fc.constantFrom(
  '',
  ' ',
  'garbage',
  'now',
  'yesterday',
  'NaN',
  'Infinity',
  'null',
  '0',
  '12',
  '-1',
  '1700000000',
  '1700000000000',
  '0000-01-01T00:00:00Z',
  '0000-01-01T00:00:00.000Z',
  '-000001-01-01T00:00:00Z',
  '+099999-01-01T00:00:00.000Z',
  '99999-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '10000-01-01T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2024-02-30T00:00:00Z',
  '2024-13-01T00:00:00Z',
  '2024-01-15T25:00:00Z',
  '2024-01-15T23:59:60Z',
  '2024-01-15T12:00:00+25:00',
  '2024-01-15',
  '2024-01-15 12:00',
  '2024-01-15T12:00:00',
  'Mon, 15 Jan 2024 12:00:00 GMT',
  '15/01/2024',
  '2024-01-15T12:00:00.123456789Z',
  '\u0000',
  '2024-01-15T12:00:00Z\n'
)

const badTimeNumbers = fc.constantFrom(
  0,
  -1,
  1700000000,
  1700000000000,
  -62167219200000, // 0000-01-01T00:00:00Z
  -62198755200000, // year -1
  253402300800000, // 10000-01-01
  8.64e15,
  8.64e15 + 1,
  NaN,
  Infinity,
  1e21,
  0.5
)

export const hostileTimestamp = weighted<unknown>(
  [6, isoDate],
  [1, fc.constant(undefined)],
  [1, fc.constant(null)],
  [4, badTimestamps],
  [2, badTimeNumbers],
  [1, fc.integer()],
  [1, hostileString],
  [1, fc.constantFrom({}, [], ['2024-01-15T12:00:00Z'], [1, 2], { $date: '2024-01-15T12:00:00Z' })]
)

// ---------------------------------------------------------------------------------------------------------------
// Keys, values, objects

const pollutionKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toString',
  'valueOf',
  'toLocaleString',
  'toJSON',
  'then',
  'length'
)
const oddKeys = fc.constantFrom(
  '',
  ' ',
  '0',
  '-1',
  'a.b',
  'a[0]',
  '$',
  '$.traits',
  '@path',
  '@template',
  '\u0000',
  '😀'
)

export const hostileKey = weighted<string>(
  [4, fc.string({ minLength: 1, maxLength: 12 })],
  [3, pollutionKeys],
  [1, oddKeys],
  [1, fc.string({ unit: hostileChar, maxLength: 8 })]
)

/** Objects whose `__proto__` / `constructor.prototype` are own properties carrying a `polluted` marker. */
export const POLLUTION_JSON = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"}}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}}}',
  '{"a":{"__proto__":{"polluted":"yes"}},"b":[{"__proto__":{"polluted":"yes"}}]}',
  '{"__proto__":[1,2],"constructor":"x","hasOwnProperty":"x","toString":"x","valueOf":1,"toJSON":"x"}',
  '{"__proto__":null}',
  '{"constructor":{"name":"Object","prototype":null}}'
] as const

export const pollutionObject = fc.constantFrom(...POLLUTION_JSON).map((json) => JSON.parse(json) as object)

export const hostileLeaf = weighted<unknown>(
  [6, hostileString],
  [3, hostileNumber],
  [2, numberAsString],
  [1, fc.boolean()],
  [1, fc.constant(null)],
  [1, fc.constant(undefined)],
  [1, hostileEmail],
  [1, hostileTimestamp]
)

/** Nested objects and arrays 50 to 150 levels deep. */
export const deepNest = fc
  .record({ depth: fc.integer({ min: 50, max: 150 }), arrays: fc.boolean(), key: hostileKey, leaf: hostileLeaf })
  .map(({ depth, arrays, key, leaf }) => {
    let value: unknown = leaf
    for (let level = 0; level < depth; level++) value = arrays && level % 2 ? [value] : ownObject([[key, value]])
    return value
  })

/** Any JSON-ish value a few levels deep, with hostile keys and leaves. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 8, arbitrary: hostileLeaf },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map((entries) => ownObject(entries))
    }
  )
})).value

export const anyHostileValue = weighted<unknown>([40, hostileValue], [1, deepNest], [2, pollutionObject])

/**
 * An object with some of `known` keys (with values from `valueFor`) and a few hostile ones, in random order, all
 * own properties.
 */
function objectWith(
  known: readonly string[],
  valueFor: (key: string) => fc.Arbitrary<unknown>
): fc.Arbitrary<Record<string, unknown>> {
  const knownEntries = fc
    .subarray([...known])
    .chain((keys) =>
      keys.length === 0
        ? fc.constant([] as [string, unknown][])
        : fc.tuple(...keys.map((key) => valueFor(key).map((value): [string, unknown] => [key, value])))
    )
  const extraEntries = fc.array(fc.tuple(hostileKey, anyHostileValue), { maxLength: 4 })
  return fc
    .tuple(knownEntries, extraEntries, fc.boolean())
    .map(([mine, extra, extraFirst]) => ownObject(extraFirst ? [...extra, ...mine] : [...mine, ...extra]))
}

/** Wrong types for a field that should hold an object. */
const notAnObject = weighted<unknown>(
  [1, fc.constant(null)],
  [1, fc.constant(undefined)],
  [1, hostileString],
  [1, hostileNumber],
  [1, fc.boolean()],
  [1, fc.array(hostileLeaf, { maxLength: 3 })]
)

const plausibleId = fc.oneof(
  fc.uuid(),
  fc.stringMatching(/^[a-z0-9_-]{1,24}$/),
  fc.integer({ min: 1, max: 1e9 }).map((n) => `user-${n}`)
)

/** userId / anonymousId / partner_user_id: mostly plausible, then every wrong type. */
export const hostileId = weighted<unknown>(
  [300, plausibleId],
  [120, hostileString],
  [40, hostileNumber],
  [30, numberAsString],
  [30, fc.constant(null)],
  [30, fc.constant(undefined)],
  [20, fc.array(hostileLeaf, { maxLength: 3 })],
  [20, fc.dictionary(hostileKey, hostileLeaf, { maxKeys: 3 })],
  [10, pollutionObject],
  [10, fc.boolean()],
  [HUGE_WEIGHT, hugeString]
)

const plausibleName = fc.oneof(
  fc.constantFrom('Ada', 'Grace', 'Ünïcödé', 'O’Brien', '李'),
  fc.string({ maxLength: 12 })
)
const hostileName = weighted<unknown>([6, plausibleName], [3, hostileLeaf], [1, notAnObject], [1, anyHostileValue])

const personId = weighted<unknown>(
  [3, fc.integer()],
  [1, fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, 1.5, NaN, Infinity, -0, 2 ** 63)],
  [2, numberAsString],
  [1, hostileLeaf]
)

const emailField = weighted<unknown>(
  [80, hostileEmail],
  [10, hostileLeaf],
  [10, notAnObject],
  [HUGE_WEIGHT, hugeString]
)

// ---------------------------------------------------------------------------------------------------------------
// Segment events

/** Top-level keys of a Segment event that may be replaced by pollution keys, or joined by them. */
function withTopLevelNoise<T extends Record<string, unknown>>(event: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc
    .tuple(event, fc.option(fc.constantFrom(...POLLUTION_JSON), { freq: 8 }))
    .map(([base, noise]) =>
      noise === null ? base : (ownObject([...Object.entries(base), ...Object.entries(JSON.parse(noise))]) as T)
    )
}

const IDENTIFY_TRAIT_KEYS = [
  'email',
  'firstName',
  'lastName',
  'first_name',
  'last_name',
  'person_id',
  'partner_user_id',
  'event_time',
  'phone'
] as const

function traitValue(key: string): fc.Arbitrary<unknown> {
  switch (key) {
    case 'email':
      return emailField
    case 'firstName':
    case 'lastName':
    case 'first_name':
    case 'last_name':
      return hostileName
    case 'person_id':
      return personId
    case 'event_time':
      return hostileTimestamp
    case 'partner_user_id':
      return hostileId
    default:
      return anyHostileValue
  }
}

/** traits / properties: mostly an object, sometimes the wrong type, deeply nested or a pollution object. */
function freeFormObject(known: readonly string[], valueFor: (key: string) => fc.Arbitrary<unknown>) {
  return weighted<unknown>(
    [14, objectWith(known, valueFor)],
    [2, notAnObject],
    [1, pollutionObject],
    [1, deepNest],
    [1, pollutionObject.chain((pollution) => objectWith(known, valueFor).map((o) => ({ ...o, nested: pollution })))]
  )
}

export const identifyEvent = withTopLevelNoise(
  fc.record({
    type: fc.constant('identify'),
    userId: hostileId,
    anonymousId: hostileId,
    traits: freeFormObject(IDENTIFY_TRAIT_KEYS, traitValue),
    timestamp: hostileTimestamp,
    messageId: weighted<unknown>([5, fc.uuid()], [1, hostileLeaf])
  })
)

const TRACK_PROPERTY_KEYS = [
  'partner_user_id',
  'email',
  'first_name',
  'firstName',
  'last_name',
  'lastName',
  'partner_conversion_id',
  'cart_value',
  'coupon_code',
  'person_id',
  'event_time',
  'order_id',
  'total',
  'revenue'
] as const

const amount = weighted<unknown>(
  [3, fc.double({ min: 0, max: 1e6, noNaN: true }).map((n) => n.toFixed(2))],
  [2, hostileNumber],
  [2, numberAsString],
  [1, hostileLeaf],
  [1, notAnObject]
)
const couponCode = weighted<unknown>([3, fc.stringMatching(/^[A-Z0-9]{4,10}$/)], [2, hostileLeaf], [1, notAnObject])

// Arbitraries are built once: building one (`stringMatching` above all) costs far more than drawing from it.
function propertyValue(key: string): fc.Arbitrary<unknown> {
  switch (key) {
    case 'partner_conversion_id':
    case 'order_id':
      return hostileId
    case 'cart_value':
    case 'total':
    case 'revenue':
      return amount
    case 'coupon_code':
      return couponCode
    default:
      return traitValue(key)
  }
}

const eventName = weighted<unknown>(
  [200, fc.constantFrom('conversion', 'registration', 'Order Completed', 'Signed Up', 'purchase', 'share')],
  [80, hostileString],
  [20, hostileNumber],
  [20, fc.constant(null)],
  [20, fc.constant(undefined)],
  [10, fc.constantFrom('   ', '\t', '\u00a0', '\u200b', '\ufeff')],
  [10, fc.array(hostileLeaf, { maxLength: 2 })],
  [10, fc.dictionary(hostileKey, hostileLeaf, { maxKeys: 2 })],
  [10, fc.boolean()],
  [HUGE_WEIGHT, hugeString]
)

const trackContext = weighted<unknown>(
  [3, fc.constant(undefined)],
  [
    6,
    fc.record(
      {
        traits: freeFormObject(['email', 'first_name', 'firstName', 'last_name', 'lastName'], traitValue),
        ip: hostileLeaf
      },
      { requiredKeys: [] }
    )
  ],
  // Not `null`: actions-core 3.170 itself throws a TypeError on `context: null` (audience-membership.js destructures
  // it) before any action code runs; findings.test.ts pins that upstream behaviour separately.
  [1, weighted<unknown>([1, hostileString], [1, hostileNumber], [1, fc.boolean()], [1, fc.array(hostileLeaf)])],
  [1, pollutionObject]
)

export const trackEvent = withTopLevelNoise(
  fc.record({
    type: fc.constant('track'),
    event: eventName,
    userId: hostileId,
    anonymousId: hostileId,
    properties: freeFormObject(TRACK_PROPERTY_KEYS, propertyValue),
    context: trackContext,
    timestamp: hostileTimestamp,
    messageId: weighted<unknown>([5, fc.uuid()], [1, hostileLeaf])
  })
)

export const trackBatch = fc.array(trackEvent, { minLength: 1, maxLength: 3 })
export const identifyBatch = fc.array(identifyEvent, { minLength: 1, maxLength: 3 })

/** What Segment hands `onDelete` (`{ userId, anonymousId }`), with junk around it. */
export const deletionEvent = withTopLevelNoise(
  fc.record(
    {
      type: weighted<unknown>([3, fc.constant('delete')], [1, hostileLeaf]),
      userId: hostileId,
      anonymousId: hostileId,
      traits: weighted<unknown>([3, fc.constant(undefined)], [1, anyHostileValue])
    },
    { requiredKeys: ['userId'] }
  )
)
