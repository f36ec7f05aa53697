import { parseFql } from '@segment/destination-subscriptions'
import { Destination, type InputField } from '@segment/actions-core'
import Definition, { createExtoleDestination } from '../index'

// The checks Segment's CLI `validate` runs on a destination before it can be registered.
describe('Extole destination definition', () => {
  it('is a cloud destination named Extole with a slug', () => {
    expect(Definition).toMatchObject({ name: 'Extole', slug: 'actions-extole', mode: 'cloud' })
    expect(Definition.description).toMatch(/Extole/)
    expect(Object.keys(Definition.actions).sort()).toEqual(['identify', 'track'])
    expect(typeof Definition.onDelete).toBe('function')
  })

  it('has one required, secret API Key setting', () => {
    const fields = Definition.authentication?.fields ?? {}
    expect(Object.keys(fields)).toEqual(['apiKey'])
    expect(fields.apiKey).toMatchObject({ label: 'API Key', type: 'password', required: true })
    expect(fields.apiKey.description).toMatch(/Access Tokens/)
  })

  it('marks every secret-looking setting as a password', () => {
    for (const [key, field] of Object.entries(Definition.authentication?.fields ?? {})) {
      if (/key|secret|token|password/i.test(key)) expect(field.type).toBe('password')
    }
  })

  it('gives every setting and field a label and a description', () => {
    const all: [string, { label?: string; description?: string }][] = [
      ...Object.entries(Definition.authentication?.fields ?? {}),
      ...Object.values(Definition.actions).flatMap((action) =>
        Object.entries(action.fields as Record<string, InputField>)
      )
    ]
    for (const [key, field] of all) {
      expect([key, field.label?.length]).toEqual([key, expect.any(Number)])
      expect([key, field.description?.length]).toEqual([key, expect.any(Number)])
    }
  })

  it('gives every action a title, a description and a parsable default subscription', () => {
    for (const action of Object.values(Definition.actions)) {
      expect(action.title).toBeTruthy()
      expect(action.description).toBeTruthy()
      expect(parseFql(action.defaultSubscription ?? '')).not.toHaveProperty('error')
    }
  })

  it('has presets that name existing actions, parse as FQL and map only real fields', () => {
    const presets = Definition.presets ?? []
    expect(presets.map((p) => p.name)).toEqual(['Identify Calls', 'Track Calls', 'Signed Up', 'Order Completed'])
    for (const preset of presets) {
      expect(preset.type).toBe('automatic')
      if (preset.type !== 'automatic') continue
      const action = Definition.actions[preset.partnerAction]
      expect([preset.name, action]).toEqual([preset.name, expect.anything()])
      expect([preset.name, parseFql(preset.subscribe)]).not.toEqual([
        preset.name,
        expect.objectContaining({ error: expect.anything() })
      ])
      for (const key of Object.keys(preset.mapping ?? {})) {
        expect([preset.name, key, key in action.fields]).toEqual([preset.name, key, true])
      }
    }
  })

  it('caps the batch size at a documented bound', () => {
    for (const action of Object.values(Definition.actions)) {
      const field = (action.fields as Record<string, InputField>).batch_size
      expect(field).toMatchObject({ type: 'number', minimum: 1, maximum: 1000 })
      expect(field.description).toMatch('1000')
    }
  })

  it('loads into actions-core, whose schema compiler rejects what the CLI would', () => {
    expect(() => new Destination(createExtoleDestination())).not.toThrow()
  })

  it('points the default instance at Extole’s production hosts and lets only code point elsewhere', () => {
    const keys = Object.keys(Definition.authentication?.fields ?? {})
    expect(keys.some((k) => /url|host|endpoint/i.test(k))).toBe(false)
  })
})
