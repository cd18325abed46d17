LOCK TABLE "directus_users" IN EXCLUSIVE MODE
-- params: []

SELECT count(*) AS count FROM "directus_users"
-- params: []

UPDATE "directus_users" SET "token" = $1 WHERE "email" = $2 AND "token" IS DISTINCT FROM $1
-- params: ["static-token","admin@example.com"]

SELECT a."role" FROM "directus_access" a JOIN "directus_policies" p ON p."id" = a."policy"
       WHERE p."admin_access" AND a."role" IS NOT NULL AND a."user" IS NULL
       ORDER BY a."sort" NULLS LAST, a."id" LIMIT 1
-- params: []

INSERT INTO "directus_roles" ("id", "name", "icon", "description") VALUES ($1, $2, $3, $4)
-- params: ["8c3a9e4e-0000-4000-8000-000000000005","Administrator","verified","$t:admin_description"]

INSERT INTO "directus_policies" ("id", "name", "icon", "description", "admin_access", "app_access")
         VALUES ($1, 'Administrator', 'verified', '$t:admin_description', true, true)
-- params: ["8c3a9e4e-0000-4000-8000-000000000006"]

INSERT INTO "directus_access" ("id", "role", "policy", "sort") VALUES ($1, $2, $3, 1)
-- params: ["8c3a9e4e-0000-4000-8000-000000000007","8c3a9e4e-0000-4000-8000-000000000005","8c3a9e4e-0000-4000-8000-000000000006"]

INSERT INTO "directus_users" ("id", "first_name", "last_name", "email", "password", "role", "token", "status")
       VALUES ($1, 'Admin', 'User', $2, $3, $4, $5, 'active')
-- params: ["8c3a9e4e-0000-4000-8000-000000000008","admin@example.com","$argon2id$hash","8c3a9e4e-0000-4000-8000-000000000005",null]
