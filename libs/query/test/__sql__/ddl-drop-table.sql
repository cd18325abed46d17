DROP TABLE "articles" CASCADE
-- params: []

DROP TABLE "we""ird" CASCADE
-- params: []
