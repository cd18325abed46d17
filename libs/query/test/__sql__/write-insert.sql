INSERT INTO "articles" ("title", "status", "views") VALUES ($1, $2, DEFAULT), ($3, DEFAULT, DEFAULT), (DEFAULT, $4, $5) RETURNING *
-- params: ["A","published","B",null,3]
