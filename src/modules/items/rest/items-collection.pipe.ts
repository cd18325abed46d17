import { Injectable, PipeTransform } from '@nestjs/common';
import { ForbiddenError } from '@lib/errors';

/**
 * `/items/:collection` serves user collections only: `directus_*` names get a bare 403 (spec 1.1). System
 * collections have their own routes (/users, /roles, ...), which call the same ItemsService.
 */
@Injectable()
export class ItemsCollectionPipe implements PipeTransform<string, string> {
  transform(collection: string): string {
    if (collection.startsWith('directus_')) throw new ForbiddenError();
    return collection;
  }
}
