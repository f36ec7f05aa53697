import { PayloadValidationError } from '@segment/actions-core'
import { dataBuilder, toEventTime } from '../event-data'

describe('toEventTime', () => {
  it.each([
    ['2024-01-15T12:00:00Z', '2024-01-15T12:00:00.000Z'],
    ['2024-01-15T13:30:00.5+01:30', '2024-01-15T12:00:00.500Z'],
    ['2024-01-15T12:00:00', '2024-01-15T12:00:00.000Z'],
    ['2024-01-15 12:00', '2024-01-15T12:00:00.000Z'],
    ['2024-01-15', '2024-01-15T00:00:00.000Z'],
    [1705320000000, '2024-01-15T12:00:00.000Z']
  ])('reads %p as %p', (input, expected) => {
    expect(toEventTime(input)).toBe(expected)
  })

  it.each(['12', '0', 'March 7 2024', '2024-02-31T00:00:00Z', '2024-01-15T24:00:00Z', '2024-13-01', '', '99999-01-01'])(
    'refuses %p, naming event_time',
    (input) => {
      expect(() => toEventTime(input)).toThrow(PayloadValidationError)
      expect(() => toEventTime(input)).toThrow('`event_time`')
    }
  )

  it('uses the current time when there is none, as Extole would', () => {
    expect(toEventTime(undefined, () => new Date('2030-05-05T05:05:05Z'))).toBe('2030-05-05T05:05:05.000Z')
  })
})

describe('dataBuilder', () => {
  it('keeps hostile keys as plain data and pollutes no prototype', () => {
    const freeForm = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}, "ok": 1}')
    const data = dataBuilder(['email'])(freeForm, { email: 'a@example.com' })
    expect(Object.keys(data)).toEqual(['__proto__', 'constructor', 'ok', 'email'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(JSON.stringify(data)).toBe(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"ok":1,"email":"a@example.com"}'
    )
  })

  it('lets mapped fields win and never copies Extole’s typed keys from free-form data', () => {
    const data = dataBuilder(['email', 'partner_user_id'])(
      { email: 'free@example.com', event_time: 'x', partner_user_id: 'free', person_id: 42, plan: 'pro' },
      { email: 'mapped@example.com', partner_user_id: undefined }
    )
    expect(data).toEqual({ plan: 'pro', person_id: 42, email: 'mapped@example.com' })
  })

  it('refuses a person_id that is not an integer', () => {
    expect(() => dataBuilder([])({ person_id: '12' }, {})).toThrow('`person_id`')
  })
})

describe('dataBuilder omissions', () => {
  it('drops the listed free-form spellings and keys a mapped field owns, even when the mapped value is absent', () => {
    const build = dataBuilder(['first_name', 'cart_value'], ['firstName'])
    expect(build({ firstName: 'Free', cart_value: '1.00', kept: true }, { first_name: 'Mapped' })).toEqual({
      kept: true,
      first_name: 'Mapped'
    })
  })
})
