UPDATE "articles" SET "title" = $2, "views" = $3
  WHERE "id" = $1 RETURNING *
-- params: [7,"x",1]
