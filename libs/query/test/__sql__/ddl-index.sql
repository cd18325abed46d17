CREATE INDEX "articles_slug_index" ON "articles" ("slug")
-- params: []

DROP INDEX IF EXISTS "articles_slug_index"
-- params: []
