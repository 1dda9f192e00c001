import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { gitopsPromotionTranslationRef } from '../../translation';
import { formatAge } from '../../util/age';
import { dateTimeParam } from '../../util/dateTime';

/**
 * A relative time ("3h") with the exact time on hover, in the app's
 * language, and for machines.
 */
export function Age(props: { time: string; now: number }) {
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  return (
    <time
      dateTime={props.time}
      title={
        Number.isNaN(Date.parse(props.time))
          ? undefined
          : t('age.at', dateTimeParam(props.time, 'medium'))
      }
    >
      {formatAge(props.time, props.now, t)}
    </time>
  );
}
