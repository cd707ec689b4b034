import { analyze, bodyProblem } from './segments'

describe('analyze (the live segment counter)', () => {
  it.each([
    ['', 'GSM-7', 0, 0],
    ['Hi', 'GSM-7', 1, 2],
    ['a'.repeat(160), 'GSM-7', 1, 160],
    ['a'.repeat(161), 'GSM-7', 2, 161],
    ['a'.repeat(306), 'GSM-7', 2, 306],
    ['a'.repeat(307), 'GSM-7', 3, 307],
    ['€', 'GSM-7', 1, 2],
    ['a'.repeat(159) + '€', 'GSM-7', 2, 161],
    ['Great, thanks 🙂', 'UCS-2', 1, 16],
    ['é'.repeat(160), 'GSM-7', 1, 160],
    ['ç', 'UCS-2', 1, 1],
    ['a'.repeat(70) + 'ç', 'UCS-2', 2, 71],
    ['a'.repeat(133) + 'ç', 'UCS-2', 2, 134],
    ['a'.repeat(134) + 'ç', 'UCS-2', 3, 135],
  ])('%j is %s in %i segment(s) of %i units', (body, encoding, segments, units) => {
    const info = analyze(body)
    expect(info.encoding).toBe(encoding)
    expect(info.segments).toBe(segments)
    expect(info.units).toBe(units)
  })

  it('never splits a GSM escape pair across segments (152 + € + 152 is 3 parts)', () => {
    expect(analyze('a'.repeat(152) + '€' + 'a'.repeat(152)).segments).toBe(3)
  })

  it('never splits a surrogate pair (66 + emoji + 1 is 2 parts; 65 units fit after)', () => {
    const info = analyze('a'.repeat(66) + '🙂' + 'a'.repeat(3))
    expect(info.units).toBe(71)
    expect(info.segments).toBe(2)
  })

  it('names the characters that force UCS-2', () => {
    expect(analyze('Luna 🐺 says hi 🙂🙂').unicodeCharacters).toEqual(['🐺', '🙂'])
  })

  it('counts code points for the 1,600 limit, not UTF-16 units', () => {
    expect(analyze('🙂'.repeat(1600)).characters).toBe(1600)
    expect(bodyProblem('🙂'.repeat(1600))).toBeNull()
    expect(bodyProblem('a'.repeat(1601))).toBe('too_long')
    expect(bodyProblem('  \n ')).toBe('empty')
  })

  it('says how much room is left in the segment being typed', () => {
    expect(analyze('a'.repeat(150)).remainingInSegment).toBe(10)
    expect(analyze('a'.repeat(161)).remainingInSegment).toBe(153 - 8)
  })
})
