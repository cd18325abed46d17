ALTER TABLE "comments" ADD CONSTRAINT "comments_article_foreign" FOREIGN KEY ("article") REFERENCES "articles" ("id") ON DELETE SET NULL ON UPDATE NO ACTION
-- params: []

ALTER TABLE "comments" DROP CONSTRAINT IF EXISTS "comments_article_foreign"
-- params: []
