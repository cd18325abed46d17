ALTER TABLE "articles" ADD CONSTRAINT "articles_slug_unique" UNIQUE ("slug")
-- params: []

ALTER TABLE "articles" DROP CONSTRAINT IF EXISTS "articles_slug_unique"
-- params: []

ALTER TABLE "a_collection_name_that_is_long_enough_to_need_cutting" ADD CONSTRAINT "a_collection_name_that_is_long_enough_to_need_cutting__01mrufvr" UNIQUE ("another_long_field_name")
-- params: []
