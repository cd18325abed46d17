CREATE INDEX IF NOT EXISTS "comments_article_index" ON "comments" ("article", "id")
-- params: []
