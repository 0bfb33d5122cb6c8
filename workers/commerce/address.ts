// The postal address shape shared by customers' address book and orders' address snapshots, with ISO 3166-1 countries.
import { z } from '@hono/zod-openapi'

/** The 249 officially assigned ISO 3166-1 alpha-2 codes (the tz database's iso3166.tab). */
const ISO_3166_ALPHA_2 = new Set('AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'.split(' '))

/** True for an officially assigned ISO 3166-1 alpha-2 code (upper case). */
export function isCountryCode(code: string): boolean {
  return ISO_3166_ALPHA_2.has(code)
}

const line = (max: number) => z.string().trim().min(1).max(max)
const optionalLine = (max: number) => z.string().trim().max(max).nullable().optional()

/** A country as ISO 3166-1 alpha-2; lower case is accepted and stored upper case. */
export const CountrySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCountryCode, 'an ISO 3166-1 alpha-2 country code such as MX or ES')
  .openapi({ example: 'MX' })

/** A postal address: `{name, line1, line2?, city, region?, postalCode, country, phone?}`; strings trimmed, empty optional lines become null. */
export const AddressSchema = z
  .object({
    name: line(200),
    line1: line(200),
    line2: optionalLine(200),
    city: line(100),
    region: optionalLine(100),
    postalCode: line(20),
    country: CountrySchema,
    phone: optionalLine(40),
  })
  .openapi('Address')

/** An address as validated by `AddressSchema`. */
export type Address = z.output<typeof AddressSchema>

/** The address with absent optional fields as null, the shape stored and answered. */
export function normalizeAddress(address: Address): { name: string; line1: string; line2: string | null; city: string; region: string | null; postalCode: string; country: string; phone: string | null } {
  return {
    name: address.name,
    line1: address.line1,
    line2: address.line2 || null,
    city: address.city,
    region: address.region || null,
    postalCode: address.postalCode,
    country: address.country,
    phone: address.phone || null,
  }
}
