/** What limits the whole-stack figures of section 7 (shown when a target is missed). */

export const WHY_MEMORY_IMMEDIATE = 'TODO';
export const WHY_MEMORY_BLOCKING = 'TODO';
export const WHY_DYNAMO = 'TODO';
