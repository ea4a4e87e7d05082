/** Zoho data centres: the value of ZOHO_DC and the hosts it selects (ZOHO-NOTES.md). */
export const dataCentres = {
  com: { desk: 'https://desk.zoho.com', accounts: 'https://accounts.zoho.com' },
  eu: { desk: 'https://desk.zoho.eu', accounts: 'https://accounts.zoho.eu' },
  in: { desk: 'https://desk.zoho.in', accounts: 'https://accounts.zoho.in' },
  'com.au': { desk: 'https://desk.zoho.com.au', accounts: 'https://accounts.zoho.com.au' },
  jp: { desk: 'https://desk.zoho.jp', accounts: 'https://accounts.zoho.jp' },
  sa: { desk: 'https://desk.zoho.sa', accounts: 'https://accounts.zoho.sa' },
  uk: { desk: 'https://desk.zoho.uk', accounts: 'https://accounts.zoho.uk' },
  'com.cn': { desk: 'https://desk.zoho.com.cn', accounts: 'https://accounts.zoho.com.cn' },
  ca: { desk: 'https://desk.zohocloud.ca', accounts: 'https://accounts.zohocloud.ca' },
} as const;

export type DataCentre = keyof typeof dataCentres;

export function isDataCentre(value: string): value is DataCentre {
  return Object.hasOwn(dataCentres, value);
}
