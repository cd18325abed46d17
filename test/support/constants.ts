/** Fixed credentials of the admin user baked into the test template database. */
export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'admin-password';
export const ADMIN_TOKEN = 'admin-static-token';
export const TEMPLATE_DATABASE = 'tessera_template';
/** Environment variable through which globalSetup hands the cluster's URL to the test workers. */
export const SERVER_URL_ENV = 'TESSERA_TEST_PG_URL';
