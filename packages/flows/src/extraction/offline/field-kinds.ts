/** What the offline engine knows how to find. Other fields are left to the LLM engine. */
export type FieldKind = 'email' | 'phone' | 'full_name' | 'first_name' | 'last_name' | 'main_ask'

const RULES: [FieldKind, RegExp][] = [
  ['email', /e-?mail/],
  ['phone', /phone|mobile|cell|telephone|\btel\b|callback number|contact number/],
  ['first_name', /first[ _-]?name|given[ _-]?name|forename/],
  ['last_name', /last[ _-]?name|surname|family[ _-]?name/],
  ['full_name', /name/],
  ['main_ask', /\bask\b|issue|problem|request|need|reason|intent|inquiry|enquiry|question|topic|summary|concern|complaint|goal|purpose|help with/],
]

/** Names that are not a person's name. */
const NOT_A_PERSON = /company|business|organi[sz]ation|product|street|file|user[ _-]?name|account|pet|brand|store|shop|project|domain|model/

/** Decides from the field's name first, then from its description. */
export function fieldKind(name: string, description: string): FieldKind | undefined {
  const spacedName = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase()
  for (const text of [spacedName, description.toLowerCase()]) {
    for (const [kind, pattern] of RULES) {
      if (!pattern.test(text)) continue
      if ((kind === 'full_name' || kind === 'first_name' || kind === 'last_name') && NOT_A_PERSON.test(text)) return undefined
      return kind
    }
  }
  return undefined
}
