/**
 * Zoho data centres: the value of ZOHO_DC and the hosts it selects
 * (ZOHO-NOTES.md). sg and ae were probed live by a public connector; uk is
 * unconfirmed (Accounts lists it, no Desk answer was seen): ZOHO_DESK_URL
 * overrides it if it turns out to differ.
 */
export const dataCentres = {
  com: { desk: 'https://desk.zoho.com', accounts: 'https://accounts.zoho.com' },
  eu: { desk: 'https://desk.zoho.eu', accounts: 'https://accounts.zoho.eu' },
  in: { desk: 'https://desk.zoho.in', accounts: 'https://accounts.zoho.in' },
  'com.au': { desk: 'https://desk.zoho.com.au', accounts: 'https://accounts.zoho.com.au' },
  jp: { desk: 'https://desk.zoho.jp', accounts: 'https://accounts.zoho.jp' },
  sa: { desk: 'https://desk.zoho.sa', accounts: 'https://accounts.zoho.sa' },
  sg: { desk: 'https://desk.zoho.sg', accounts: 'https://accounts.zoho.sg' },
  ae: { desk: 'https://desk.zoho.ae', accounts: 'https://accounts.zoho.ae' },
  uk: { desk: 'https://desk.zoho.uk', accounts: 'https://accounts.zoho.uk' },
  'com.cn': { desk: 'https://desk.zoho.com.cn', accounts: 'https://accounts.zoho.com.cn' },
  ca: { desk: 'https://desk.zohocloud.ca', accounts: 'https://accounts.zohocloud.ca' },
} as const;

export type DataCentre = keyof typeof dataCentres;

export function isDataCentre(value: string): value is DataCentre {
  return Object.hasOwn(dataCentres, value);
}

/**
 * The data centre a token answer's `api_domain` (`https://www.zohoapis.<tld>`)
 * names, or undefined when it names none we know.
 */
export function dataCentreOfApiDomain(apiDomain: string): DataCentre | undefined {
  let host: string;
  try {
    host = new URL(apiDomain).hostname;
  } catch {
    return undefined;
  }
  const m = /(?:^|\.)zohoapis\.(.+)$/.exec(host);
  return m && isDataCentre(m[1]!) ? m[1] : undefined;
}
