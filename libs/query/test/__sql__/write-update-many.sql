UPDATE "articles" SET "status" = $2
  WHERE "id" = ANY($1) RETURNING *
-- params: [[7,8],"archived"]
