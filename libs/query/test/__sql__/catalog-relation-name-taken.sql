SELECT 1 FROM pg_class WHERE "relname" = $1 AND "relnamespace" = 'public'::regnamespace
-- params: ["comments_article_index"]
