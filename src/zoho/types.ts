// Shapes of the Zoho Desk answers the tool reads, as in ../shared/zoho-oas/.
// Only the fields the tool uses are typed; IDs are always strings here.

export interface ListResponse<T> {
  data: T[];
}

/** A Help Center user's activation status (User.json). */
export type UserStatus = 'ACTIVE' | 'DISABLED' | 'DELETED';

/** An item of `GET /labels/{labelId}/users` (Label.json userLabelResponse). */
export interface LabelMember {
  id: string;
  name: string | null;
  emailAddress: string | null;
  photoUrl: string | null;
  userType: string | null;
  status: UserStatus | null;
  assignedTime: string | null;
  assignee?: { id: string | null; name: string | null; photoUrl: string | null } | null;
}

/** An item of `GET /users/{userId}/labels` (Label.json userLabelMetaResponse). */
export interface UserLabel {
  id: string;
  name: string | null;
  helpCenterId: string | null;
  isPrimary: boolean | null;
  assignedTime: string | null;
}

/** `GET /labels/{labelId}` and the items of `GET /labels` (labelDetailViewResponse). */
export interface Label {
  id: string;
  name: string | null;
  helpCenterId: string | null;
  count: string | number | null;
}

/** `GET /users/{userId}` (User.json userDetailViewJson). */
export interface User {
  id: string;
  name: string | null;
  status: UserStatus | null;
  userType: string | null;
  /** ISO instant of the user's last activity, or null when none is known. */
  lastAccessedTime: string | null;
  email: { emailAddress: string | null; isPrimary: boolean | null; isVerified: boolean | null }[] | null;
}

/** An item of `GET /users` (User.json userDetailJson). */
export interface UserListItem {
  id: string;
  name: string | null;
  emailAddress: string | null;
  status: UserStatus | null;
  userType: string | null;
  lastAccessedTime: string | null;
  label: { id: string | null; name: string | null } | null;
}

export interface HelpCenter {
  id: string;
  name: string | null;
}

export interface Organization {
  id: string;
  companyName?: string | null;
  portalName?: string | null;
}

/** One entry of a mass-action answer (User.json massActionJsonResponse). */
export interface MassActionResult {
  success: boolean | null;
  id: string | null;
  errors: { errorCode: string | null; httpCode: string | number | null; error: string | null } | null;
}

export interface MassActionResponse {
  results: MassActionResult[];
}

/** The error body Zoho sends with 4xx/5xx (Common.json errorJson). */
export interface ZohoErrorBody {
  errorCode?: string;
  message?: string;
  errors?: { fieldName?: string; errorType?: string; errorMessage?: string }[];
}
