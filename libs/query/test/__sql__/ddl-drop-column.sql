ALTER TABLE "articles" DROP COLUMN "views" CASCADE
-- params: []
