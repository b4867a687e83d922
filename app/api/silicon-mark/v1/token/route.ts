import { withPublicApi } from "@/lib/api/with-api";
import { issueAccessToken } from "@/lib/auth/token-endpoint";

// OAuth2 password flow (form fields username, password), as SiliconMark clients expect.
export const POST = withPublicApi(async ({ req, db }) => issueAccessToken(db, req));
