// Zoho's answer shapes (../shared/zoho-oas/), built from the emulator's state.
import type { EmLabel, EmUser, EmulatorState } from './state.js';

const preferences = { bgColor: '#5787E0', shape: 'ROUNDED', textColor: '#FFFFFF' } as const;
const admin = { id: '24073000000083001', name: 'Support Admin', photoUrl: null };
const iso = (ms: number): string => new Date(ms).toISOString();

export function labelDetail(state: EmulatorState, label: EmLabel) {
  return {
    id: label.id,
    name: label.name,
    logoUrl: null,
    preferences,
    helpCenterId: label.helpCenterId,
    count: String(state.members.get(label.id)?.size ?? 0),
    createdTime: label.createdTime,
    modifiedTime: label.createdTime,
    creator: admin,
    modifier: admin,
  };
}

/** What every list shows of a user (User.json userMetaJson). */
const userMeta = (user: EmUser) => ({
  id: user.id,
  name: user.name,
  photoUrl: null,
  emailAddress: user.email,
  userType: 'ENDUSER',
  status: user.status,
});

export function labelMember(user: EmUser, assignedTime: number) {
  return { ...userMeta(user), assignee: admin, assignedTime: iso(assignedTime) };
}

export function userLabel(label: EmLabel, assignedTime: number) {
  return {
    id: label.id,
    name: label.name,
    logoUrl: null,
    preferences,
    isPrimary: false,
    helpCenterId: label.helpCenterId,
    assignedTime: iso(assignedTime),
  };
}

/** The label Zoho shows beside a user: the first one they hold. */
function primaryLabel(state: EmulatorState, user: EmUser) {
  const primary = state.labelsOf(user.id)[0];
  return primary ? { id: primary.label.id, name: primary.label.name, logoUrl: null, preferences } : null;
}

export function userDetail(state: EmulatorState, user: EmUser) {
  return {
    id: user.id,
    name: user.name,
    photoUrl: null,
    contactId: null,
    userType: 'ENDUSER',
    status: user.status,
    lastAccessedTime: user.lastAccessedTime,
    email: [{ emailAddress: user.email, isPrimary: true, isVerified: true }],
    label: primaryLabel(state, user),
  };
}

/** An item of `GET /users` (User.json userDetailJson). */
export function userListItem(state: EmulatorState, user: EmUser) {
  return { ...userMeta(user), lastAccessedTime: user.lastAccessedTime, label: primaryLabel(state, user) };
}

export function helpCenter(hc: { id: string; name: string }) {
  return {
    id: hc.id,
    name: hc.name,
    isDefault: true,
    locales: ['en'],
    isEncodedPermalinkAllowed: false,
    departmentIds: [],
    isMultilingualEnabled: false,
    helpCenterLocales: [{ name: hc.name, locale: 'en', type: 'DEFAULT', status: 'ACCESIBLE_IN_HELPCENTER' }],
    primaryLocale: 'en',
    url: 'https://help.zylker.com/portal/',
    logoUrl: null,
    status: 'ACTIVE',
  };
}

export function organization(org: { id: string; companyName: string; portalName: string }) {
  return {
    id: org.id,
    companyName: org.companyName,
    portalName: org.portalName,
    alias: null,
    city: null,
    country: null,
    currencyCode: 'USD',
    currencyLocale: 'US',
    currencySymbol: '$',
    description: null,
    designation: null,
    edition: 'ENTERPRISE',
    employeeCount: null,
    employeeCountRange: null,
    faviconURL: null,
    fax: null,
    industry: null,
    isAdminInOrg: true,
    isDefault: true,
    isPayloadEncryptionEnabled: false,
    isSandboxPortal: false,
    logoURL: null,
    migrationFrom: null,
    mobile: null,
    phoneNumber: null,
    portalURL: null,
    preferredCommunicationChannels: null,
    preferredSolution: null,
    primaryContact: null,
    state: null,
    street: null,
    timeZone: 'UTC',
    website: null,
    zip: null,
  };
}
