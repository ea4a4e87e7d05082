// The organization and its help centers.
import * as render from '../render.js';
import { isPage, listAnswer, page, type Route } from './context.js';

const listHelpCenters: Route = {
  handle(ctx) {
    const p = page(ctx);
    return isPage(p) ? listAnswer(ctx.state.helpCenters, p, ctx, render.helpCenter) : p;
  },
};

const listOrganizations: Route = {
  handle(ctx) {
    return { status: 200, body: { data: ctx.state.organizations.map(render.organization) } };
  },
};

export const orgRoutes = { listHelpCenters, listOrganizations };
