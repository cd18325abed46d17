INSERT INTO "comments" ("article", "body") VALUES ($1, $2), ($3, $4) RETURNING *
-- params: [1,"c0",2,"c1"]

INSERT INTO "comments" ("article", "body") VALUES ($1, $2), ($3, $4) RETURNING *
-- params: [3,"c2",4,"c3"]

INSERT INTO "comments" ("article", "body") VALUES ($1, $2) RETURNING *
-- params: [5,"c4"]
