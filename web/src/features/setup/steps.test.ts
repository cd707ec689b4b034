import { describe, expect, it } from 'vitest'
import { blockerOf, monthlyTotal, nextOf, shownStep, toE164 } from './steps'

const steps = [
  { key: 'provider', title: 'Connect your Twilio account', status: 'done' },
  { key: 'connectivity', title: 'Check the connection', status: 'pending' },
  { key: 'front_desk', title: 'Front desk number', status: 'pending' },
]

describe('setup steps', () => {
  it('opens a step only when every earlier one is finished', () => {
    expect(blockerOf(steps, 'provider')).toBeNull()
    expect(blockerOf(steps, 'connectivity')).toBeNull()
    expect(blockerOf(steps, 'front_desk')).toBe('Finish “Check the connection” first.')
  })

  it('disables Next with the reason until the step is finished', () => {
    expect(nextOf(steps, 'provider')).toEqual({ next: steps[1], disabledReason: null })
    expect(nextOf(steps, 'connectivity').disabledReason).toBe('Finish “Check the connection” to go on.')
    expect(nextOf(steps, 'front_desk').next).toBeNull()
  })

  it('shows the asked step when it can be opened, else the current one', () => {
    expect(shownStep(steps, 'provider', 'connectivity')).toBe('provider')
    expect(shownStep(steps, 'front_desk', 'connectivity')).toBe('connectivity')
    expect(shownStep(steps, 'nonsense', 'connectivity')).toBe('connectivity')
    expect(shownStep(steps, null, 'connectivity')).toBe('connectivity')
    expect(shownStep(steps, null, 'complete')).toBe('front_desk')
  })

  it('adds prices without floating-point drift', () => {
    expect(monthlyTotal(['1.15', '1.15', '1.15'])).toBe('3.45')
    expect(monthlyTotal([])).toBe('0.00')
  })

  it('reads typed US numbers as E.164', () => {
    expect(toE164('(415) 555-0100')).toBe('+14155550100')
    expect(toE164('1 415 555 0100')).toBe('+14155550100')
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958')
    expect(toE164('555-0100')).toBeNull()
  })
})
